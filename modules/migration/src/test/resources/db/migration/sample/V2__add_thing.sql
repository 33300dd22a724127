SET LOCAL lock_timeout = '5s';
INSERT INTO sample.things VALUES (1, 'first');
