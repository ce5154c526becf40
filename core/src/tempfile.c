/*
 * tempfile.c - temporary-file I/O: create, reopen-and-verify,
 * verify-before-rename, remove; and the check that a destination may be
 * replaced.
 *
 * Threat (docs/security.md): the destination directory may be
 * shared, so between two uses of a temporary name anyone who can write to
 * that directory can put a symbolic link (to a "victim" file), another
 * regular file or a FIFO in its place.  A name is therefore only trusted
 * together with the identity of the file bgcopy created under it.
 *
 * Invariants:
 *  T1. A temporary file is created only with O_CREAT|O_EXCL, which neither
 *      follows a symbolic link nor opens an existing file, and its identity
 *      (device + inode, from fstat of the new descriptor) is recorded.
 *  T2. bgcopy writes to a temporary file only through a descriptor whose
 *      fstat shows that identity and a regular file.  A reopen checks the
 *      name with lstat first, then opens with O_NOFOLLOW (POSIX; libuv has
 *      no such flag on Windows, where creating symbolic links needs a
 *      privilege and the identity check is the guard) and O_NONBLOCK (a FIFO
 *      put there cannot block the loop thread), then checks again with fstat.
 *  T3. A temporary name is renamed (Complete) or unlinked (Cancel, Complete)
 *      only right after lstat showed the recorded identity and a regular file
 *      there.
 *  T4. A name that no longer holds our file is not ours any more: it is never
 *      written, renamed or deleted again; the file restarts from zero under a
 *      fresh name (bgc_temp_abandon, record.c).
 *  T5. Complete replaces only an absent destination or a regular file (lstat:
 *      a symbolic link, directory, FIFO, device or socket is refused).
 *
 * Identity is device + inode because that is what every platform's libuv
 * reports for both fstat and lstat (volume serial number and file index on
 * Windows).  What is left: a swap between the lstat of T3 and the rename can
 * still get the swapped-in name renamed (no portable rename takes an
 * identity); the rename moves a link, never writes through one, so no victim
 * file is modified.  A file system without stable inode numbers (FAT on
 * Linux) can make a resumed file restart from zero; that errs on the safe
 * side.
 *
 * All functions are synchronous uv_fs_* calls (no loop needed), take no
 * lock and keep no state: the caller keeps the identity in its bgc_file.
 */
#include "internal.h"

#include <stdlib.h>
#include <sys/stat.h> /* S_IFMT and friends for libuv's st_mode, on Windows too */

static void id_of(const uv_stat_t *st, bgc_temp_id *id)
{
    id->dev = st->st_dev;
    id->ino = st->st_ino;
}

static int is_ours(const uv_stat_t *st, const bgc_temp_id *id)
{
    return (st->st_mode & S_IFMT) == S_IFREG && st->st_dev == id->dev && st->st_ino == id->ino;
}

static void close_quietly(uv_file fd)
{
    uv_fs_t req;
    (void)uv_fs_close(NULL, &req, fd, NULL);
    uv_fs_req_cleanup(&req);
}

int bgc_temp_create(const char *path, uv_file *fd, bgc_temp_id *id)
{
    uv_fs_t req;
    int rc = uv_fs_open(NULL, &req, path, UV_FS_O_WRONLY | UV_FS_O_CREAT | UV_FS_O_EXCL, 0666, NULL);
    uv_fs_req_cleanup(&req);
    if (rc < 0)
        return rc;
    uv_file f = rc;
    rc = uv_fs_fstat(NULL, &req, f, NULL);
    if (rc == 0)
        id_of(&req.statbuf, id);
    uv_fs_req_cleanup(&req);
    if (rc != 0) {
        /* Without its identity the file could never be reopened, renamed or
         * deleted (T2, T3): give it up now, while the name is surely ours. */
        close_quietly(f);
        uv_fs_t un;
        (void)uv_fs_unlink(NULL, &un, path, NULL);
        uv_fs_req_cleanup(&un);
        return rc;
    }
    *fd = f;
    return 0;
}

int bgc_temp_check(const char *path, const bgc_temp_id *id)
{
    uv_fs_t req;
    int rc = uv_fs_lstat(NULL, &req, path, NULL);
    if (rc == 0 && !is_ours(&req.statbuf, id))
        rc = BGC_TEMP_FOREIGN;
    uv_fs_req_cleanup(&req);
    return rc;
}

int bgc_temp_reopen(const char *path, const bgc_temp_id *id, uv_file *fd)
{
    int rc = bgc_temp_check(path, id);
    if (rc != 0)
        return rc;
    uv_fs_t req;
    rc = uv_fs_open(NULL, &req, path, UV_FS_O_WRONLY | UV_FS_O_NOFOLLOW | UV_FS_O_NONBLOCK, 0,
                    NULL);
    uv_fs_req_cleanup(&req);
    if (rc < 0) {
        /* The name changed after the lstat: a symbolic link fails O_NOFOLLOW
         * with ELOOP (EMLINK on BSD), a FIFO without reader with ENXIO.  Ask
         * the name again rather than reading errno values. */
        int now = bgc_temp_check(path, id);
        return now != 0 ? now : rc;
    }
    uv_file f = rc;
    rc = uv_fs_fstat(NULL, &req, f, NULL);
    if (rc == 0 && !is_ours(&req.statbuf, id))
        rc = BGC_TEMP_FOREIGN;
    uv_fs_req_cleanup(&req);
    if (rc != 0) {
        close_quietly(f);
        return rc;
    }
    *fd = f;
    return 0;
}

int bgc_temp_remove(const char *path, const bgc_temp_id *id)
{
    int rc = bgc_temp_check(path, id);
    if (rc == UV_ENOENT)
        return 0;
    if (rc != 0)
        return rc;
    uv_fs_t req;
    rc = uv_fs_unlink(NULL, &req, path, NULL);
    uv_fs_req_cleanup(&req);
    return rc == UV_ENOENT ? 0 : rc;
}

int bgc_dest_check(const char *path)
{
    uv_fs_t req;
    int rc = uv_fs_lstat(NULL, &req, path, NULL);
    if (rc == 0 && (req.statbuf.st_mode & S_IFMT) != S_IFREG)
        rc = BGC_DEST_NOT_REGULAR;
    uv_fs_req_cleanup(&req);
    return rc == UV_ENOENT ? 0 : rc;
}
