import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import { modelsKey } from '@/lib/query-keys'
import type { MetricWindow, ModelMetrics } from '../types'

/** Usage figures of one model over a window, refreshed every 30 s while shown. */
export function useModelMetrics(modelId: string, window: MetricWindow) {
  const api = useApiClient()
  return useQuery({
    queryKey: [...modelsKey, modelId, 'metrics', window],
    queryFn: ({ signal }) =>
      api.get<ModelMetrics>(`/models/${encodeURIComponent(modelId)}/metrics`, { window }, signal),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  })
}
