SET LOCAL lock_timeout = '5s';
CREATE TABLE sample.things (id bigint PRIMARY KEY, name text NOT NULL);
