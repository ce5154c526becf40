-- A queue database written by schema version 1 (core/src/store.c,
-- k_schema_v1), with one row in most tables.  tests/core/store_open.c
-- builds a database from this script and opens it with the current
-- schema: it must open, migrated, with every row kept.  Never edit this
-- file when the schema changes; add a script for the new version instead.
PRAGMA application_id=1111966545;
PRAGMA user_version=1;
BEGIN TRANSACTION;
CREATE TABLE file_ranges( job_id BLOB NOT NULL, file_idx INTEGER NOT NULL, idx INTEGER NOT NULL, initial_offset INTEGER NOT NULL, length INTEGER NOT NULL, PRIMARY KEY(job_id, file_idx, idx), FOREIGN KEY(job_id, file_idx) REFERENCES files(job_id, idx) ON DELETE CASCADE) WITHOUT ROWID;
INSERT INTO "file_ranges" VALUES(X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',1,0,0,100);
INSERT INTO "file_ranges" VALUES(X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',1,1,500,-1);
CREATE TABLE files( job_id BLOB NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, idx INTEGER NOT NULL, remote_name TEXT NOT NULL, local_name TEXT NOT NULL, temporary_name TEXT, temp_created INTEGER NOT NULL, temp_dev INTEGER NOT NULL, temp_ino INTEGER NOT NULL, bytes_total INTEGER NOT NULL, bytes_transferred INTEGER NOT NULL, remote_size INTEGER NOT NULL, finished INTEGER NOT NULL, completed INTEGER NOT NULL, need_probe INTEGER NOT NULL, etag TEXT, last_modified TEXT, last_modified_unix INTEGER NOT NULL, validation_state INTEGER NOT NULL, PRIMARY KEY(job_id, idx)) WITHOUT ROWID;
INSERT INTO "files" VALUES(X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',0,'http://127.0.0.1:1/a','/tmp/v1/a','/tmp/v1/.BIT0001.tmp',1,2049,77,1000,500,1000,0,0,0,'"e1"','Wed, 21 Oct 2015 07:28:00 GMT',1445412480,0);
INSERT INTO "files" VALUES(X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',1,'http://127.0.0.1:1/b','/tmp/v1/b',NULL,0,0,0,-1,0,-1,0,0,1,NULL,NULL,-1,0);
CREATE TABLE filled_ranges( job_id BLOB NOT NULL, file_idx INTEGER NOT NULL, initial_offset INTEGER NOT NULL, length INTEGER NOT NULL, PRIMARY KEY(job_id, file_idx, initial_offset), FOREIGN KEY(job_id, file_idx) REFERENCES files(job_id, idx) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE groups( id BLOB PRIMARY KEY NOT NULL CHECK(length(id) = 16), job_id BLOB NOT NULL, complete INTEGER NOT NULL, job1_id BLOB, foreground INTEGER NOT NULL, notify_flags INTEGER NOT NULL, clsid BLOB, display_name TEXT, description TEXT, done_bytes INTEGER NOT NULL, prog_bytes INTEGER NOT NULL, prog_percent INTEGER NOT NULL, prog_seconds INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO "groups" VALUES(X'0A1B2C3D4E5F40718293A4B5C6D7E8F9',X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',0,NULL,0,3,NULL,'v1 group','',0,0,0,0,1);
CREATE TABLE job_errors( job_id BLOB PRIMARY KEY NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, code INTEGER NOT NULL, context INTEGER NOT NULL, file_index INTEGER NOT NULL, protocol TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO "job_errors" VALUES(X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',2149122452,5,1,'http');
CREATE TABLE jobs( id BLOB PRIMARY KEY NOT NULL CHECK(length(id) = 16), seq INTEGER NOT NULL, type INTEGER NOT NULL, display_name TEXT NOT NULL, description TEXT NOT NULL, state INTEGER NOT NULL, priority INTEGER NOT NULL, owner TEXT, creation_time INTEGER NOT NULL, modification_time INTEGER NOT NULL, transfer_completion_time INTEGER NOT NULL, notify_flags INTEGER NOT NULL, notify_program TEXT, notify_parameters TEXT, min_retry_delay_s INTEGER NOT NULL, no_progress_timeout_s INTEGER NOT NULL, error_count INTEGER NOT NULL, retry_spent_ms INTEGER NOT NULL, no_progress_spent_ms INTEGER NOT NULL, ever_resumed INTEGER NOT NULL, security_flags INTEGER NOT NULL, custom_headers TEXT, dynamic_content INTEGER NOT NULL, on_demand INTEGER NOT NULL, file_acl_flags INTEGER NOT NULL, peer_caching_flags INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO "jobs" VALUES(X'6B1F3C2A9D4E4F10A1B2C3D4E5F60718',1,0,'v1 job','written by schema version 1',3,1,'tester',133000000000000000,133000000100000000,0,11,'/bin/true','true --done',120,3600,2,0,0,1,4,'X-One: 1'||char(13,10),0,0,0,0);
CREATE TABLE pending_deletes( path TEXT PRIMARY KEY NOT NULL, dev INTEGER NOT NULL, ino INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX jobs_by_seq ON jobs(seq);
COMMIT;
