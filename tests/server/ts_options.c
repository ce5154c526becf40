/*
 * ts_options.c - the query-string options that make a response misbehave.
 *
 * Adding a misbehaviour: add a field to ts_options (testserver.h), a row to
 * g_table below, and act on the field in ts_serve.c or ts_body.c.  Names are
 * checked strictly: an unknown name is a 400, so a typo in a test fails
 * loudly instead of silently testing the well-behaved path.
 */
#include "testserver.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum opt_kind { OPT_U64, OPT_STATUS, OPT_BOOL, OPT_I64, OPT_STR } opt_kind;

typedef struct opt_def {
    const char *name;
    opt_kind kind;
    size_t offset;   /* of the field in ts_options */
    size_t set_flag; /* offset of an int set to 1 when present, or 0 for none */
} opt_def;

#define OPT(name, kind, field) {name, kind, offsetof(ts_options, field), 0}

static const opt_def g_table[] = {
    OPT("rate", OPT_U64, rate),
    OPT("status", OPT_STATUS, status),
    OPT("norange", OPT_BOOL, norange),
    {"lm", OPT_I64, offsetof(ts_options, lm), offsetof(ts_options, lm_set)},
    OPT("drop", OPT_U64, drop),
    OPT("stall", OPT_U64, stall),
    OPT("redirect", OPT_STATUS, redirect),
    OPT("to", OPT_STR, to),
    OPT("retry_after", OPT_U64, retry_after),
    OPT("nolength", OPT_BOOL, nolength),
    OPT("http10", OPT_BOOL, http10),
    OPT("change", OPT_U64, change),
    OPT("newsize", OPT_U64, newsize),
    OPT("badcr", OPT_STR, badcr),
    OPT("id", OPT_STR, id),
    OPT("getlen", OPT_U64, getlen),
    OPT("auth", OPT_STR, auth),
    OPT("user", OPT_STR, user),
    OPT("pass", OPT_STR, pass),
};

typedef struct parse_ctx {
    ts_options *o;
    char *err;
    size_t errlen;
    int failed;
} parse_ctx;

static int parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || !isdigit((unsigned char)s[0]))
        return 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || v == TS_NONE) /* TS_NONE is our "unset" marker */
        return 0;
    *out = v;
    return 1;
}

static int set_option(parse_ctx *ctx, const char *key, const char *value)
{
    for (size_t i = 0; i < sizeof g_table / sizeof g_table[0]; i++) {
        const opt_def *d = &g_table[i];
        if (strcmp(d->name, key) != 0)
            continue;
        char *field = (char *)ctx->o + d->offset;
        uint64_t u = 0;
        switch (d->kind) {
        case OPT_U64:
            if (!parse_u64(value, &u))
                goto bad;
            *(uint64_t *)(void *)field = u;
            break;
        case OPT_STATUS:
            if (!parse_u64(value, &u) || u < 100 || u > 599)
                goto bad;
            *(unsigned *)(void *)field = (unsigned)u;
            break;
        case OPT_BOOL:
            if (value == NULL || (strcmp(value, "0") != 0 && strcmp(value, "1") != 0))
                goto bad;
            *(int *)(void *)field = value[0] == '1';
            break;
        case OPT_I64: {
            if (value == NULL || value[0] == '\0')
                goto bad;
            char *end = NULL;
            long long v = strtoll(value, &end, 10);
            if (*end != '\0')
                goto bad;
            *(int64_t *)(void *)field = v;
            break;
        }
        case OPT_STR:
            if (value == NULL || value[0] == '\0')
                goto bad;
            *(const char **)(void *)field = value;
            break;
        }
        if (d->set_flag != 0)
            *(int *)(void *)((char *)ctx->o + d->set_flag) = 1;
        return 0;
    bad:
        snprintf(ctx->err, ctx->errlen, "bad value for option %s: \"%s\"", key,
                 value ? value : "");
        return -1;
    }
    snprintf(ctx->err, ctx->errlen, "unknown option \"%s\"", key);
    return -1;
}

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    (void)kind;
    parse_ctx *ctx = cls;
    if (set_option(ctx, key, value) != 0) {
        ctx->failed = 1;
        return MHD_NO; /* stop iterating */
    }
    return MHD_YES;
}

int ts_options_parse(struct MHD_Connection *c, ts_options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->rate = TS_NONE;
    o->drop = TS_NONE;
    o->stall = TS_NONE;
    o->retry_after = TS_NONE;
    o->change = TS_NONE;
    o->newsize = TS_NONE;
    o->getlen = TS_NONE;
    o->lm = 1700000000;
    parse_ctx ctx = {o, err, errlen, 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_arg, &ctx);
    if (ctx.failed)
        return -1;
    if (o->rate == 0) {
        snprintf(err, errlen, "rate must be at least 1 byte per second");
        return -1;
    }
    if (o->badcr != NULL && strcmp(o->badcr, "start") != 0 && strcmp(o->badcr, "total") != 0 &&
        strcmp(o->badcr, "none") != 0) {
        snprintf(err, errlen, "badcr must be start, total or none");
        return -1;
    }
    if (o->newsize != TS_NONE && o->change == TS_NONE) {
        snprintf(err, errlen, "newsize needs change");
        return -1;
    }
    if (o->auth != NULL && strcmp(o->auth, "basic") != 0 && strcmp(o->auth, "digest") != 0) {
        snprintf(err, errlen, "auth must be basic or digest");
        return -1;
    }
    if ((o->user != NULL || o->pass != NULL) && o->auth == NULL) {
        snprintf(err, errlen, "user and pass need auth");
        return -1;
    }
    if (o->redirect != 0 && (o->redirect < 300 || o->redirect > 399)) {
        snprintf(err, errlen, "redirect must be a 3xx status");
        return -1;
    }
    return 0;
}
