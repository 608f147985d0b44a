// The gateway's model ids. A model's id is its catalog name (`llama3.2:1b`, `gpt-4o-mini`).
// When several catalog models share a name, the one added first keeps the plain name (so a
// second provider never changes an id clients already use) and the others are
// `<name>@<owner>`, owner being the provider's name (external APIs) or the engine kind (local
// hosts), lower-cased with anything but [a-z0-9._-] turned into `-`; models that currently have
// no host (provider removed or disabled) come last. Every model also answers to its Web+ model
// id. The table is read from the catalog, rebuilt when the catalog announces a change, and kept
// for a few seconds at most.
import { decodeTime, isValid } from 'ulid'
import type { Role } from '../db/schema.js'
import type { CatalogService } from '../models/catalog.js'
import type { PublicModel } from '../models/public-model.js'
import { localKinds } from '../models/public-model.js'

export interface GatewayModel {
  /** What clients send as `model`. */
  id: string
  model: PublicModel
  /** Unix seconds the model entered the catalog (from its sortable id). */
  created: number
  ownedBy: string
}

interface Snapshot {
  byId: Map<string, GatewayModel>
  byModelId: Map<string, GatewayModel>
  list: GatewayModel[]
  at: number
}

const TTL_MS = 5_000
/** A lookup miss rebuilds the table when it is older than this (a model was just added). */
const MISS_REFRESH_MS = 250

function createdOf(modelId: string): number {
  return isValid(modelId) ? Math.floor(decodeTime(modelId) / 1000) : 0
}

function ownerOf(model: PublicModel): string {
  if (localKinds.includes(model.kind)) return model.kind
  return model.hosts[0]?.providerName ?? model.kind
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')

/** Whether a role may call the model now (the invoker's own rule, plus "has a host"). */
export function usableBy(entry: GatewayModel, role: Role): boolean {
  return entry.model.enabled && entry.model.hosts.length > 0 && entry.model.allowedRoles.includes(role)
}

export class ModelDirectory {
  private snapshot: Snapshot | null = null
  private building: Promise<Snapshot> | null = null
  /** Bumped by invalidate(), so that a build that started before a change is not kept. */
  private generation = 0

  constructor(private readonly catalog: CatalogService) {}

  invalidate(): void {
    this.generation += 1
    this.snapshot = null
    this.building = null
  }

  async all(): Promise<GatewayModel[]> {
    return (await this.current()).list
  }

  /** By gateway id or Web+ model id; undefined when neither names a model. */
  async resolve(requested: string): Promise<GatewayModel | undefined> {
    let table = await this.current()
    const hit = table.byId.get(requested) ?? table.byModelId.get(requested)
    if (hit || Date.now() - table.at < MISS_REFRESH_MS) return hit
    this.invalidate()
    table = await this.current()
    return table.byId.get(requested) ?? table.byModelId.get(requested)
  }

  async byModelId(modelId: string): Promise<GatewayModel | undefined> {
    return (await this.current()).byModelId.get(modelId)
  }

  private async current(): Promise<Snapshot> {
    const snapshot = this.snapshot
    if (snapshot && Date.now() - snapshot.at < TTL_MS) return snapshot
    if (this.building) return this.building
    const building: Promise<Snapshot> = this.build().finally(() => {
      if (this.building === building) this.building = null
    })
    this.building = building
    return building
  }

  private async build(): Promise<Snapshot> {
    const generation = this.generation
    const models = await this.catalog.list('admin')
    // Models with a host first, oldest first: the first of them with a name keeps it (a model
    // whose provider was removed keeps its row but must not hold a name a live model needs).
    const rank = (m: PublicModel) => (m.hosts.length > 0 ? '0' : '1') + m.id
    const ordered = [...models].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0))
    const byId = new Map<string, GatewayModel>()
    const byModelId = new Map<string, GatewayModel>()
    for (const model of ordered) {
      const owner = ownerOf(model)
      let id = model.name
      if (byId.has(id)) id = `${model.name}@${slug(owner)}`
      if (byId.has(id)) id = model.id
      const entry: GatewayModel = { id, model, created: createdOf(model.id), ownedBy: owner }
      byId.set(id, entry)
      byModelId.set(model.id, entry)
    }
    const list = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const snapshot = { byId, byModelId, list, at: Date.now() }
    if (generation === this.generation) this.snapshot = snapshot
    return snapshot
  }
}
