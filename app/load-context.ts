/** What server.mjs passes to every loader and action. */
export interface QuorumContext {
  /** The TCP peer address, used only hashed (rate limits); never stored. */
  clientAddress?: string;
}

export function clientAddressOf(context: unknown): string | undefined {
  return (context as QuorumContext | undefined)?.clientAddress;
}
