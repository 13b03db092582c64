/** Which organization and project a stored record belongs to; every store call is scoped by one. */
export interface ProjectRef {
  readonly organizationId: string;
  readonly projectId: string;
}
