-- Issue 16: flows across JavaScript/TypeScript modules. Each file keeps what it tells other modules (the
-- exported parameters that reach a sink, the calls it makes with untrusted data; domain/module-facts.ts), so
-- an incremental crawl joins modules without re-reading unchanged files, and a key of the flows joined into
-- the file: when another module's change alters them, the file's issues are recomputed.
ALTER TABLE code_roach_files ADD COLUMN module_facts jsonb;
ALTER TABLE code_roach_files ADD COLUMN module_flows text;
