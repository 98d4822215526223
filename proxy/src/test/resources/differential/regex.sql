-- also over SQLite
-- PostgreSQL's regular expressions: the match operators and regexp_replace
\pset null '<null>'
CREATE TABLE words (id serial PRIMARY KEY, w text);
INSERT INTO words (w) VALUES ('apple'), ('Banana'), ('cherry pie'), ('date42'), (NULL), ('a.b'), ('Élan');
SELECT id, w FROM words WHERE w ~ '^[a-c]' ORDER BY id;
SELECT id, w FROM words WHERE w ~* '^b' ORDER BY id;
SELECT id, w FROM words WHERE w !~ 'a' ORDER BY id;
SELECT id, w FROM words WHERE w !~* 'A' ORDER BY id;
SELECT id, w ~ '[[:digit:]]+$' AS digits, w ~ '\mpie' AS word, w ~ 'a\.b' AS dot FROM words ORDER BY id;
SELECT id, regexp_replace(w, '[aeiou]', '_') AS first, regexp_replace(w, '[aeiou]', '_', 'g') AS every,
       regexp_replace(w, '(\w+) (\w+)', '\2 \1') AS swapped, regexp_replace(w, 'A', 'x', 'gi') AS folded
FROM words ORDER BY id;
SELECT count(*) FROM words WHERE w ~ 'an' AND NOT w ~ '^B';
DROP TABLE words;
