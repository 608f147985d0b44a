import { Outlet } from 'react-router'
import { PageHeader } from '@/components/page-header'
import { SectionNav } from '@/components/section-nav'

const SETTINGS_PAGES = [
  { to: '/settings/profile', label: 'Profile' },
  { to: '/settings/password', label: 'Password' },
  { to: '/settings/sessions', label: 'Sessions' },
  { to: '/settings/api-keys', label: 'API keys' },
  { to: '/settings/usage', label: 'Usage' },
] as const

export function SettingsLayout() {
  return (
    <>
      <PageHeader title="Settings" description="Your account, sign-in sessions, API keys and usage." />
      <SectionNav label="Settings" items={SETTINGS_PAGES} />
      <Outlet />
    </>
  )
}
