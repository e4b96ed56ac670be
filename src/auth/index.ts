// The auth layer's public surface: what src/cli and src/google import.
export { loadTokenProvider } from './token-provider.js';
export type { TokenProvider, TokenProviderOptions } from './token-provider.js';
export { deleteStoredTokens } from './token-store.js';
export { login, LOGIN_SCOPES, DEFAULT_LOGIN_TIMEOUT_MS } from './login.js';
export type { LoginOptions, LoginResult } from './login.js';
export { logout } from './logout.js';
export type { LogoutOptions, LogoutResult } from './logout.js';
export { authStatus } from './status.js';
export { checkLogin } from './check.js';
export type { LoginCheck } from './check.js';
export { accountLabel } from './account.js';
export type { Account } from './account.js';
export type { AuthStatus } from './status.js';
export { AuthFlowError, PortInUseError, TokenEndpointUnreachableError, UnsafeTokenFileError } from './errors.js';
export type { AuthFailureReason } from './errors.js';
