/*
 * bgt_transfer.c - the life of one transfer after it started: finishing it
 * (exactly one on_done), aborting it (none), and freeing it.
 *
 * Invariant: a transfer is linked in engine->transfers exactly while it may
 * still produce a callback.  Both ends (finish and abort) unlink first, so a
 * user callback that closes the engine or aborts other transfers can never
 * reach a transfer that is already on its way out.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bgt_internal.h"

void bgt_transfer_unlink(bgt_transfer *t)
{
    bgt_list_remove(&t->all);
    bgt_list_remove(&t->progress_link);
}

/* Overwrites a secret before its memory goes back to the allocator, so it
 * does not linger in freed heap (core dumps, later allocations).  The
 * volatile pointer keeps the compiler from dropping the stores. */
static void free_secret(char *s)
{
    if (s != NULL) {
        volatile char *v = s;
        while (*v != '\0')
            *v++ = '\0';
        free(s);
    }
}

void bgt_transfer_free_strings(bgt_transfer *t)
{
    free(t->url);
    free(t->if_range);
    free(t->ca_file);
    free(t->proxy);
    free(t->proxy_bypass);
    free(t->proxy_list);
    free(t->proxy_bypass_list);
    free(t->picked_proxy);
    free(t->user);
    free_secret(t->password);
    free(t->proxy_user);
    free_secret(t->proxy_password);
    free(t->http_method);
    free(t->client_cert);
    free(t->client_key);
    t->url = t->if_range = t->ca_file = t->proxy = t->proxy_bypass = NULL;
    t->proxy_list = t->proxy_bypass_list = t->picked_proxy = NULL;
    t->user = t->password = t->proxy_user = t->proxy_password = NULL;
    t->http_method = t->client_cert = t->client_key = NULL;
}

static void on_transfer_handle_closed(uv_handle_t *h)
{
    bgt_transfer *t = h->data;
    if (--t->open_handles == 0)
        free(t);
}

static void remove_from_multi(bgt_transfer *t)
{
    if (t->in_multi) {
        curl_multi_remove_handle(t->engine->multi, t->easy);
        t->in_multi = 0;
    }
}

void bgt_transfer_destroy(bgt_transfer *t)
{
    bgt_transfer_unlink(t);
    remove_from_multi(t);
    if (t->easy != NULL)
        curl_easy_cleanup(t->easy);
    t->easy = NULL;
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    if (t->src_fd >= 0) {
        uv_fs_t req;
        (void)uv_fs_close(NULL, &req, t->src_fd, NULL); /* read-only: nothing to lose */
        uv_fs_req_cleanup(&req);
    }
    t->src_fd = -1;
    bgt_transfer_free_strings(t);
    free(t->local_path);
    free(t->location);
    free(t->buf);
    free(t->raw);
    if (t->redirect_url != NULL)
        curl_free(t->redirect_url);
    t->local_path = t->location = t->redirect_url = t->raw = NULL;
    t->buf = NULL;
    uv_close((uv_handle_t *)&t->flush_timer, on_transfer_handle_closed);
    if (t->idle_inited)
        uv_close((uv_handle_t *)&t->idle, on_transfer_handle_closed);
}

void bgt_transfer_finish(bgt_transfer *t, bgt_status status, int curl_code, int sys_errno,
                         const char *message)
{
    bgt_engine *e = t->engine;
    bgt_response *r = &t->resp;
    int err;

    bgt_transfer_unlink(t);
    remove_from_multi(t);
    uv_timer_stop(&t->flush_timer);
    err = bgt_writer_flush(t);
    if (err != 0 && status == BGT_OK) {
        status = BGT_ERR_LOCAL_WRITE;
        sys_errno = err;
        message = "writing the destination file failed";
    }

    if (r->has_content_range && r->cr_total != BGT_UNKNOWN)
        r->resource_size = r->cr_total;
    else if (r->http_status == 200 && r->content_length != BGT_UNKNOWN)
        r->resource_size = r->content_length;
    if (r->effective_url == NULL)
        r->effective_url = t->url;
    if (r->redirect_url == NULL)
        r->redirect_url = "";
    if (message == NULL)
        message = "";
    if (status != BGT_OK && sys_errno != 0 && message != t->msgbuf) {
        /* uv_strerror, unlike strerror, is thread-safe (static strings). */
        snprintf(t->msgbuf, sizeof t->msgbuf, "%s: %s", message, uv_strerror(-sys_errno));
        message = t->msgbuf;
    }

    if (t->req.on_progress != NULL && t->written != t->progress_reported && !e->closing) {
        t->progress_reported = t->written;
        t->req.on_progress(t, t->written, t->req.user);
    }
    /* A bgt_engine_close from inside that progress callback counts as an
     * abort of this transfer too: no on_done after it. */
    if (!e->closing)
        t->req.on_done(t, status, r, t->written, curl_code, sys_errno, message, t->req.user);
    bgt_transfer_destroy(t);
}

uint64_t bgt_abort(bgt_transfer *t)
{
    uint64_t written;
    if (t == NULL)
        return 0;
    bgt_transfer_unlink(t);
    /* Out of the multi first: curl must not call our write callback again. */
    remove_from_multi(t);
    uv_timer_stop(&t->flush_timer);
    (void)bgt_writer_flush(t);
    written = t->written;
    bgt_transfer_destroy(t);
    return written;
}
