/* bgcopy_url_for_display: the one function that masks a password in a URL
 * before bgcopy shows it (docs/security.md).  No server. */
#include "core_test.h"

#include <stdio.h>

static void expect(const char *url, const char *want)
{
    char *got = NULL;
    CHECK_HR_OK(bgcopy_url_for_display(url, &got));
    CHECK_NOT_NULL(got);
    CHECK_MSG(strcmp(got, want) == 0, "%s: got %s, want %s", url, got, want);
    bgcopy_free(got);
}

int main(void)
{
    /* a password: masked, the user name stays */
    expect("http://user:secret@127.0.0.1:8080/a/b?x=1#f", "http://user:***@127.0.0.1:8080/a/b?x=1#f");
    expect("https://user:secret@example.com/file.bin", "https://user:***@example.com/file.bin");
    /* percent-escapes in the password (and in the user name, kept as written) */
    expect("http://us%40er:p%40ss%3Aw%2Fd@host/f", "http://us%40er:***@host/f");
    expect("http://user:s%65cret@host/f", "http://user:***@host/f");
    /* IPv6 host */
    expect("http://user:secret@[::1]:8080/f", "http://user:***@[::1]:8080/f");
    /* no password, user only, empty password: unchanged */
    expect("http://127.0.0.1:8080/gen/5?status=404", "http://127.0.0.1:8080/gen/5?status=404");
    expect("http://user@host/f", "http://user@host/f");
    expect("http://user:@host/f", "http://user:@host/f");
    expect("HTTP://Host/Mixed/../Case", "HTTP://Host/Mixed/../Case");
    /* an '@' outside the authority is not a password */
    expect("http://host/a@b?c=d@e", "http://host/a@b?c=d@e");
    /* local paths and file URLs */
    expect("/tmp/dir@x/file", "/tmp/dir@x/file");
    expect("file:///tmp/a@b", "file:///tmp/a@b");
    expect("C:\\dir\\a@b.txt", "C:\\dir\\a@b.txt");
    /* unparsable: unchanged without '@' in the authority, else masked up
     * to its last '@' */
    expect("http://bad host/x", "http://bad host/x");
    expect("http://us er:sec ret@ho st/x", "http://***@ho st/x");
    expect("http://a:b@c@[bad/x", "http://***@[bad/x");
    expect("user:secret@host/x", "***@host/x");
    expect("", "");
    /* errors */
    char *out = (char *)1;
    CHECK_EQ_HR(bgcopy_url_for_display(NULL, &out), BGCOPY_E_INVALIDARG);
    CHECK(out == NULL);
    CHECK_EQ_HR(bgcopy_url_for_display("http://h/", NULL), BGCOPY_E_INVALIDARG);
    printf("core_url_display: ok\n");
    return 0;
}
