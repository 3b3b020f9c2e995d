/** The caller of a request or socket. */
export interface Principal {
  userId: string;
  admin: boolean;
  /** Set when the request was authorised by a signed link for exactly this path. */
  signedPath?: string;
}
