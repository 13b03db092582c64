import { userInfo } from 'node:os';

/** Who is acting, recorded with review decisions and rollbacks. */
export function actorName(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
