/* bgt_url_parse, the one parser of remote names (transport/bgt_url.c):
 * every rule of docs/http.md "Remote names", table-driven, with each
 * platform's cases.  Also the path syntax helpers of bgt_util.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgt.h"
#include "check.h"

typedef struct url_case {
    const char *name;
    int kind;             /* BGT_URL_HTTP, BGT_URL_LOCAL or UV_EINVAL */
    const char *path;     /* BGT_URL_LOCAL: the path */
} url_case;

#define HTTP(n) {n, BGT_URL_HTTP, NULL}
#define LOCAL(n, p) {n, BGT_URL_LOCAL, p}
#define BAD(n) {n, UV_EINVAL, NULL}

static const url_case cases[] = {
    /* http(s): what curl would send */
    HTTP("http://h/a"),
    HTTP("HTTPS://h:8443/a?q=1#f"),
    HTTP("http://127.0.0.1:1/a%20b%0D%0A"), /* escapes are data */
    HTTP("http://h/%zz"),                   /* curl sends it as it is */
    HTTP("http://h/\xc3\xa9t\xc3\xa9"),     /* IRI: UTF-8 accepted */
    HTTP("http://[::1]:8080/a"),
    HTTP("http://user:pw@h/a"),
    BAD("http://h/a b"),
    BAD("http://h/a\r\nX: y"),
    BAD("http://h/a\nb"),
    BAD("http://h/a\rb"),
    BAD("http://h/a\tb"),
    BAD("http://h/a\x01" "b"),
    BAD("http://h/a\x7f" "b"),
    BAD("http://h/a?q=\r\nX: y"),
    BAD("http://h/a#\x1b"),
    BAD("http://h x/a"),
    BAD("http://h\r\n/a"),
    BAD("http://h:99999/a"),
    BAD("http://h:port/a"),
    BAD("http://"),
    BAD("http://:80/a"),
    BAD("http://[::1/a"),
    BAD("http:"),
    /* other schemes and no scheme */
    BAD("ftp://h/a"),
    BAD("gopher://h/a"),
    BAD("h/a"),
    BAD("relative/path"),
    BAD(""),
    BAD("file:relative"),
    BAD("file:"),
#ifdef _WIN32
    /* full paths are themselves, never decoded */
    LOCAL("C:\\tmp\\a b", "C:\\tmp\\a b"),
    LOCAL("c:/tmp/x", "c:/tmp/x"),
    LOCAL("\\\\server\\share\\x", "\\\\server\\share\\x"),
    LOCAL("//server/share/x", "//server/share/x"),
    LOCAL("C:\\tmp\\100%", "C:\\tmp\\100%"),
    LOCAL("file:///C:/tmp/a%20b", "C:/tmp/a b"),
    LOCAL("FILE:///c:/tmp/x", "c:/tmp/x"),
    LOCAL("file://localhost/C:/tmp/x", "C:/tmp/x"),
    LOCAL("file:/C:/tmp/x", "C:/tmp/x"),
    LOCAL("file://server/share/x", "//server/share/x"),
    BAD("file:///C:/tmp/x?query#frag"),
    BAD("file:///tmp/x"),                /* no drive: relative to the current one */
    BAD("file:///C:/tmp/bad%2"),
    BAD("file:///C:/tmp/bad%zz"),
    BAD("file:///C:/tmp/nul%00x"),
    BAD("/tmp/x"),
    BAD("\\tmp\\x"),
    BAD("C:relative"),
    BAD("relative\\path"),
#else
    LOCAL("/tmp/a b", "/tmp/a b"),
    LOCAL("/tmp/100%", "/tmp/100%"),     /* a path is not decoded */
    LOCAL("/tmp/a\nb", "/tmp/a\nb"),     /* a legal POSIX file name, never sent anywhere */
    LOCAL("file:///tmp/a%20b", "/tmp/a b"),
    LOCAL("FILE:///tmp/x", "/tmp/x"),
    LOCAL("file://localhost/tmp/x", "/tmp/x"),
    LOCAL("file://LOCALHOST/tmp/x", "/tmp/x"),
    LOCAL("file://127.0.0.1/tmp/x", "/tmp/x"),
    LOCAL("file:/tmp/x", "/tmp/x"),
    LOCAL("file:///tmp/%C3%A9t%c3%a9", "/tmp/\xc3\xa9t\xc3\xa9"),
    LOCAL("file:///tmp/%3F%23", "/tmp/?#"),
    BAD("file:///tmp/a%0Ab"),            /* curl refuses to decode control bytes */
    LOCAL("file:///tmp/a/../b", "/tmp/a/../b"), /* the file system resolves it */
    LOCAL("file:///tmp/a\\b", "/tmp/a\\b"),
    BAD("file:///tmp/x?query#frag"),
    BAD("file:///tmp/x?"),
    BAD("file:///tmp/x#frag"),
    BAD("file://server/share/x"),        /* no remote file names on POSIX */
    BAD("file://localhostx/x"),
    BAD("file:///tmp/bad%2"),
    BAD("file:///tmp/bad%"),
    BAD("file:///tmp/bad%zz"),
    BAD("file:///tmp/bad%g0"),
    BAD("file:///tmp/nul%00x"),
    BAD("file:///tmp/a b"),
    BAD("file:///tmp/a\nb"),
    BAD("file:///C:/x"),                 /* a drive letter means nothing here */
    BAD("C:\\x"),                        /* a backslash is a file name character here */
#endif
};

static void check_case(const url_case *c)
{
    char *path = (char *)"unset";
    int kind = bgt_url_parse(c->name, &path);
    CHECK_MSG(kind == c->kind, "%s: got %d, want %d", c->name, kind, c->kind);
    if (c->kind == BGT_URL_LOCAL) {
        CHECK_NOT_NULL(path);
        CHECK_EQ_STR(path, c->path);
    } else {
        CHECK_MSG(path == NULL, "%s: path %s", c->name, path ? path : "");
    }
    free(path);
    /* Without an output: the same answer. */
    CHECK_EQ_INT(bgt_url_parse(c->name, NULL), c->kind);
}

static void test_path_syntax(void)
{
#ifdef _WIN32
    CHECK(bgt_path_is_sep('\\') && bgt_path_is_sep('/'));
    CHECK(bgt_path_last_sep("C:\\a/b\\c") != NULL && *bgt_path_last_sep("C:\\a/b\\c") == '\\');
    CHECK(!bgt_path_is_absolute("\\\\"));
#else
    CHECK(!bgt_path_is_sep('\\'));
    CHECK(bgt_path_last_sep("/a/b\\c") != NULL && bgt_path_last_sep("/a/b\\c")[1] == 'b');
#endif
    CHECK_EQ_INT(bgt_url_parse(NULL, NULL), UV_EINVAL);
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
    test_path_syntax();
    printf("transport_url_unit: ok (%zu cases)\n", sizeof cases / sizeof cases[0]);
    return 0;
}
