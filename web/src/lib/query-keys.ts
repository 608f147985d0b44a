// Query keys that more than one feature touches: changing a provider changes the models it
// serves, so the providers feature refreshes the model catalog by this shared key.
export const modelsKey = ['models'] as const
export const providersKey = ['providers'] as const
