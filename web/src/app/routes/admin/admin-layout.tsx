import { Outlet } from 'react-router'
import { PageHeader } from '@/components/page-header'
import { SectionNav } from '@/components/section-nav'

const ADMIN_PAGES = [
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/providers', label: 'Providers' },
  { to: '/admin/audit', label: 'Audit log' },
] as const

export default function AdminLayout() {
  return (
    <>
      <PageHeader
        title="Administration"
        description="Accounts, registration, model providers and the audit trail."
      />
      <SectionNav label="Administration" items={ADMIN_PAGES} />
      <Outlet />
    </>
  )
}
