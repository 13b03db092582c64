-- Issue 15 point 8: a generated fix's explanation for its reviewer (why the code was wrong, what the fix does).
ALTER TABLE fixes ADD COLUMN explanation text;
