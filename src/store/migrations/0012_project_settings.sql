-- Repository commands (`.roach.yml` validation commands, test commands) are code from whoever can
-- push to a project's repository. Service-mode crawls run them only when an organization admin has
-- enabled them for the project (and then only in the sandbox); off by default, also for existing projects.
ALTER TABLE projects ADD COLUMN repository_commands boolean NOT NULL DEFAULT false;
