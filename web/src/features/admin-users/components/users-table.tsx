import { Gauge, KeyRound, Search } from 'lucide-react'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { FormError } from '@/components/form-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDate } from '@/lib/format'
import { useDebouncedValue } from '@/lib/use-debounced-value'
import { ROLES, type Role, type User } from '@/types/api'
import { useAdminUsers, useUpdateUser } from '../api/users'
import { ResetPasswordDialog } from './reset-password-dialog'
import { UserLimitsDialog } from './user-limits-dialog'

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function UsersTable({ currentUserId }: { currentUserId: string }) {
  const [search, setSearch] = useState('')
  const debouncedSearch = useDebouncedValue(search.trim())
  const users = useAdminUsers(debouncedSearch)
  const update = useUpdateUser()
  const [toggleTarget, setToggleTarget] = useState<User | null>(null)
  const [resetTarget, setResetTarget] = useState<User | null>(null)
  const [limitsTarget, setLimitsTarget] = useState<User | null>(null)
  const rows = users.data?.pages.flatMap((page) => page.items) ?? []

  function closeToggle() {
    setToggleTarget(null)
    update.reset()
  }

  return (
    <Card className="gap-4 py-4">
      <div className="flex flex-col gap-3 px-4 sm:flex-row sm:items-center">
        <div className="relative w-full sm:max-w-xs">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden="true"
          />
          <Input
            type="search"
            placeholder="Search by name or email"
            aria-label="Search users"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            className="pl-8"
          />
        </div>
      </div>
      {update.isError && !toggleTarget ? (
        <div className="px-4">
          <FormError error={update.error} title="Could not update the user" />
        </div>
      ) : null}
      {users.isError ? (
        <div className="px-4">
          <FormError error={users.error} title="Could not load users" />
        </div>
      ) : null}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="pl-4">User</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Joined</TableHead>
            <TableHead className="pr-4 text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.isPending
            ? [0, 1, 2].map((row) => (
                <TableRow key={row}>
                  <TableCell colSpan={5} className="px-4">
                    <Skeleton className="h-8" />
                  </TableCell>
                </TableRow>
              ))
            : null}
          {!users.isPending && rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={5} className="py-8 text-center text-muted-foreground">
                {debouncedSearch ? `No users match “${debouncedSearch}”.` : 'No users yet.'}
              </TableCell>
            </TableRow>
          ) : null}
          {rows.map((user) => {
            const isSelf = user.id === currentUserId
            return (
              <TableRow key={user.id} data-testid="user-row">
                <TableCell className="pl-4">
                  <div className="grid min-w-40 gap-0.5">
                    <span className="font-medium">
                      {user.name}
                      {isSelf ? (
                        <span className="ml-1.5 font-normal text-muted-foreground">(you)</span>
                      ) : null}
                    </span>
                    <span className="text-muted-foreground text-xs">{user.email}</span>
                  </div>
                </TableCell>
                <TableCell>
                  <NativeSelect
                    aria-label={`Role for ${user.name}`}
                    value={user.role}
                    disabled={update.isPending}
                    onChange={(event) => {
                      const role = event.target.value
                      if (isRole(role)) update.mutate({ id: user.id, role })
                    }}
                    className="w-32"
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </NativeSelect>
                </TableCell>
                <TableCell>
                  {user.disabled ? (
                    <Badge variant="destructive">Disabled</Badge>
                  ) : (
                    <Badge variant="success">Active</Badge>
                  )}
                </TableCell>
                <TableCell className="whitespace-nowrap text-muted-foreground">
                  {formatDate(user.createdAt)}
                </TableCell>
                <TableCell className="pr-4">
                  <div className="flex justify-end gap-2">
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setLimitsTarget(user)}
                      aria-label={`Gateway limits for ${user.name}`}
                    >
                      <Gauge aria-hidden="true" />
                      <span className="hidden lg:inline">Limits</span>
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setResetTarget(user)}
                      aria-label={`Reset password for ${user.name}`}
                    >
                      <KeyRound aria-hidden="true" />
                      <span className="hidden lg:inline">Reset password</span>
                    </Button>
                    <Button
                      variant="outline"
                      size="sm"
                      disabled={isSelf}
                      onClick={() => setToggleTarget(user)}
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            )
          })}
        </TableBody>
      </Table>
      {users.hasNextPage ? (
        <div className="flex justify-center px-4">
          <Button variant="outline" onClick={() => users.fetchNextPage()} pending={users.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      ) : null}
      <ConfirmDialog
        open={toggleTarget !== null}
        onOpenChange={(open) => !open && closeToggle()}
        title={toggleTarget?.disabled ? 'Enable this account?' : 'Disable this account?'}
        description={
          toggleTarget?.disabled
            ? `${toggleTarget.name} will be able to sign in again.`
            : `${toggleTarget?.name} will be signed out everywhere and cannot sign in or use API keys until enabled again.`
        }
        confirmLabel={toggleTarget?.disabled ? 'Enable account' : 'Disable account'}
        destructive={!toggleTarget?.disabled}
        pending={update.isPending}
        error={update.error}
        onConfirm={() =>
          toggleTarget &&
          update.mutate({ id: toggleTarget.id, disabled: !toggleTarget.disabled }, { onSuccess: closeToggle })
        }
      />
      <ResetPasswordDialog user={resetTarget} onClose={() => setResetTarget(null)} />
      <UserLimitsDialog user={limitsTarget} onClose={() => setLimitsTarget(null)} />
    </Card>
  )
}
