import { UsageReport } from '@/features/usage/components/usage-report'

export default function UsageSettingsPage() {
  return <UsageReport />
}
