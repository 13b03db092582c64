import type { ProjectRef } from '../domain/project-ref.js';

/** An issue's location, and for resolved ones how it was resolved. */
export interface IssueLocation {
  readonly id: string;
  readonly filePath: string;
  readonly line: number;
  readonly endLine: number;
}

export interface ResolvedLocation extends IssueLocation {
  /** Set when Code Roach applied the fix: the actor who decided it (or 'auto'). */
  readonly codeRoachActor: string | null;
  readonly resolvedAt: string;
}

export interface Attribution {
  readonly issueId: string;
  readonly email: string | null;
  readonly name: string | null;
  readonly commit: string | null;
  readonly at: string | null;
}

/** What attribution needs from storage (implemented in store/, wired in main/). */
export interface AttributionStore {
  /** Open issues of these files not attributed yet, and resolved issues whose fix is not attributed yet. */
  pendingAttribution(project: ProjectRef, files: readonly string[]): Promise<{ introduced: IssueLocation[]; fixed: ResolvedLocation[] }>;
  recordAttribution(project: ProjectRef, introduced: readonly Attribution[], fixed: readonly Attribution[]): Promise<void>;
}
