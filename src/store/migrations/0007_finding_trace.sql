-- The taint path of an issue found by a taint rule: where untrusted data enters and each variable it passes
-- through ({"source": {label, line, column}, "steps": [...]}, 0-based like findings). NULL for other issues.
ALTER TABLE code_roach_issues ADD COLUMN trace jsonb;
