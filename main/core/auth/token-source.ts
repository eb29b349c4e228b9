/** A source of bearer tokens for the signed-in user, as the Graph client uses it. */
export interface TokenSource {
  /**
   * Returns an access token for the configured scopes, from the cache when it is still valid.
   * `forceRefresh` skips the cache, as after a Graph 401. Rejects with an `AuthError`.
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
}
