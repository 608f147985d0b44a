// Subscribes the query cache to the LLM Manager's pushed events: `model.status` rewrites one
// model in the catalog, `model.hidden` drops one the caller may no longer use, `pull.progress`
// one pull. After a reconnect, whatever was missed while
// the socket was down is fetched again.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useSession } from '@/lib/api-context'
import { modelsKey } from '@/lib/query-keys'
import type { RealtimeEvent } from '@/lib/realtime'
import { useRealtime } from '@/lib/realtime-context'
import { applyModelEvent, applyModelHidden, applyPullEvent, pullsKey } from '../api/model-cache'
import type { Model, Pull } from '../types'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

export function modelFromEvent(event: RealtimeEvent): Model | null {
  const model = event.model
  return isObject(model) && typeof model.id === 'string' && Array.isArray(model.hosts)
    ? (model as unknown as Model)
    : null
}

export function pullFromEvent(event: RealtimeEvent): Pull | null {
  const pull = event.pull
  return isObject(pull) && typeof pull.id === 'string' && typeof pull.status === 'string'
    ? (pull as unknown as Pull)
    : null
}

export function useLiveModelUpdates() {
  const realtime = useRealtime()
  const queryClient = useQueryClient()
  const session = useSession()
  const role = session.status === 'signed-in' ? session.user.role : null

  useEffect(() => {
    if (!role) return
    const offModel = realtime.on('model.status', (event) => {
      const model = modelFromEvent(event)
      if (model) applyModelEvent(queryClient, model, role)
    })
    const offHidden = realtime.on('model.hidden', (event) => {
      if (typeof event.modelId === 'string') applyModelHidden(queryClient, event.modelId)
    })
    const offPull = realtime.on('pull.progress', (event) => {
      const pull = pullFromEvent(event)
      if (!pull) return
      applyPullEvent(queryClient, pull)
      // A finished pull adds a model (or a host to one): make sure the catalog shows it.
      if (event.final === true) void queryClient.invalidateQueries({ queryKey: modelsKey, exact: true })
    })
    let wasConnected = realtime.getStatus() === 'connected'
    const offStatus = realtime.subscribeStatus(() => {
      const connected = realtime.getStatus() === 'connected'
      if (connected && !wasConnected) {
        void queryClient.invalidateQueries({ queryKey: modelsKey, exact: true })
        void queryClient.invalidateQueries({ queryKey: pullsKey })
      }
      wasConnected = connected
    })
    return () => {
      offModel()
      offHidden()
      offPull()
      offStatus()
    }
  }, [realtime, queryClient, role])
}
