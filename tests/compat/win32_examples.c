/*
 * win32_examples - runs docs/examples/bits-poll (C++, _tmain, <tchar.h>,
 * <windows.h> + <Bits.h>, Sleep/GetTickCount polling, Job4 by
 * QueryInterface) and docs/examples/bits-props (C, wmain, only <bits.h>,
 * Job5/File5 by QueryInterface, peer-cache administration) against
 * bgcopy-testserver, as a user would: the files must arrive with the right
 * bytes (also under a non-ASCII name, which crosses libbgcopy-win32's
 * main -> wmain conversion), the programs must print what BITS answers,
 * and a 404 must come back as the job's error with exit status 1.
 */
#include <uv.h> /* first: uv.h must precede any <windows.h> */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#if !defined(BITS_POLL) || !defined(BITS_PROPS)
#  error "BITS_POLL and BITS_PROPS must name the example programs"
#endif

static void expect(const char *out, const char *needle)
{
    CHECK_MSG(strstr(out, needle) != NULL, "missing \"%s\" in output:\n%s", needle, out);
}

int main(void)
{
    ts_server s;
    CHECK_EQ_INT(ts_server_start(&s, NULL), 0);
    char *dir = ts_mkdtemp();
    CHECK(dir != NULL);
    char *out = NULL;

    /* bits-poll: _tmain; the local name is UTF-8 on the command line and
     * reaches AddFile as wide text. */
    char *u1 = ts_url(&s, "/gen/150000?rate=300000");
    char *local1 = ts_path_join(dir, "r\xc3\xa9sum\xc3\xa9-\xe2\x82\xac.bin"); /* résumé-€.bin */
    const char *poll_args[] = {u1, local1, "60", NULL};
    CHECK_EQ_INT(ts_run_capture(BITS_POLL, poll_args, &out), 0);
    expect(out, "Peer caching flags: 0x1\n");
    expect(out, "Job transferred: 150000 bytes\n");
    free(out);
    CHECK(ts_file_matches_gen(local1, 150000));

    /* bits-poll against a 404: the job's error, exit status 1, no file. */
    char *u404 = ts_url(&s, "/gen/10?status=404");
    char *local404 = ts_path_join(dir, "missing.bin");
    const char *err_args[] = {u404, local404, "60", NULL};
    CHECK_EQ_INT(ts_run_capture(BITS_POLL, err_args, &out), 1);
    expect(out, "Job error 0x80190194 (context 5): ");
    free(out);
    CHECK(ts_read_file(local404, NULL) == NULL);

    /* bits-props: wmain, <bits.h> only, peer cache S_FALSE everywhere,
     * Job5 DYNAMIC_CONTENT, File5 headers (not kept: E_NOTIMPL). */
    char *u2 = ts_url(&s, "/gen/7000");
    char *local2 = ts_path_join(dir, "props.bin");
    const char *props_args[] = {u2, local2, NULL};
    CHECK_EQ_INT(ts_run_capture(BITS_PROPS, props_args, &out), 0);
    expect(out, "SetConfigurationFlags: 0x00000001\n");
    expect(out, "GetConfigurationFlags: 0x00000001 flags 0\n");
    expect(out, "GetMaximumCacheSize: 0x00000001 size 0\n");
    expect(out, "EnumRecords: 0x00000001 no records\n");
    expect(out, "DiscoverPeers: 0x00000001\n");
    expect(out, "Dynamic content: 0x00000000 on\n");
    expect(out, "Response headers: not available (0x80004001)\n");
    expect(out, "Job completed\n");
    free(out);
    CHECK(ts_file_matches_gen(local2, 7000));

    /* Bad usage reaches wmain's argc check. */
    const char *no_args[] = {NULL};
    CHECK_EQ_INT(ts_run_capture(BITS_PROPS, no_args, &out), 2);
    free(out);

    free(u1);
    free(local1);
    free(u404);
    free(local404);
    free(u2);
    free(local2);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&s), 0);
    printf("win32_examples: ok\n");
    return 0;
}
