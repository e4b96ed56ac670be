// The one thing the HTTP client needs from auth: a bearer token, and a way to get a fresh one after a 401.
// Declared here structurally so google/ does not import auth/ (auth's TokenProvider satisfies this shape).

export interface TokenProvider {
  getAccessToken(): Promise<string>;
  refreshAccessToken(): Promise<string>;
}
