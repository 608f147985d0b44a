// Features that arrive in later releases: each page says so plainly.
import { FileText, Workflow } from 'lucide-react'
import { ComingSoon } from '@/components/coming-soon'

export function FactoryPage() {
  return (
    <ComingSoon
      title="Code Factory"
      icon={Workflow}
      message="Code Factory pipelines, which turn a task into code step by step, arrive in a later release of Web+."
    />
  )
}

export function FilesPage() {
  return (
    <ComingSoon
      title="Files"
      icon={FileText}
      message="Uploading and analysing files arrives in a later release of Web+."
    />
  )
}
