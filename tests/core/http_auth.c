/* Credentials and proxy settings through the native API
 * (IBackgroundCopyJob2::SetCredentials / RemoveCredentials,
 * IBackgroundCopyJob::SetProxySettings / GetProxySettings) against
 * bgcopy-testserver's Digest and Basic (libmicrohttpd's): a job without
 * credentials stops in ERROR with BG_E_HTTP_ERROR_401 and, once given
 * them, Resume finishes it, as Microsoft's SetCredentials page describes;
 * OVERRIDE, NO_PROXY and a bad list as a user sees them. */
#include "http_test.h"

static bgcopy_manager *g_m;
static ts_server g_srv;

#define HR_401 ((bgcopy_hr)0x80190191)

static void test_api(void)
{
    bgcopy_job *job = ct_new_job(g_m, "auth-api");
    bgcopy_proxy_usage u;
    char *l = (char *)1, *b = (char *)1;

    CHECK_HR_OK(bgcopy_job_get_proxy_settings(job, &u, &l, &b));
    CHECK_EQ_INT(u, BGCOPY_PROXY_USAGE_PRECONFIG);
    CHECK(l == NULL && b == NULL);
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, (bgcopy_proxy_usage)4, NULL, NULL),
                BGCOPY_E_NOTIMPL);
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_OVERRIDE, NULL, "x"),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_NO_PROXY, "p:1", NULL),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_PRECONFIG, NULL, "x"),
                BGCOPY_E_INVALIDARG);
    char *big = malloc(32002);
    CHECK(big != NULL);
    memset(big, 'a', 32001);
    big[32001] = 0;
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_OVERRIDE, big, NULL),
                BGCOPY_E_PROXY_LIST_TOO_LARGE);
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_OVERRIDE, "p:1", big),
                BGCOPY_E_PROXY_BYPASS_LIST_TOO_LARGE);
    CHECK_HR_OK(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_OVERRIDE,
                                              "http=p:1 https=q:2", "<local>;*.example.com"));
    CHECK_HR_OK(bgcopy_job_get_proxy_settings(job, &u, &l, &b));
    CHECK_EQ_INT(u, BGCOPY_PROXY_USAGE_OVERRIDE);
    CHECK_EQ_STR(l, "http=p:1 https=q:2");
    CHECK_EQ_STR(b, "<local>;*.example.com");
    bgcopy_free(l);
    bgcopy_free(b);
    CHECK_HR_OK(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_NO_PROXY, NULL, NULL));
    CHECK_HR_OK(bgcopy_job_get_proxy_settings(job, &u, &l, &b));
    CHECK_EQ_INT(u, BGCOPY_PROXY_USAGE_NO_PROXY);
    CHECK(l == NULL && b == NULL);

    CHECK_EQ_HR(bgcopy_job_set_credentials(job, (bgcopy_auth_target)3, BGCOPY_AUTH_SCHEME_BASIC,
                                           "u", "p"), BGCOPY_E_INVALID_AUTH_TARGET);
    CHECK_EQ_HR(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER, (bgcopy_auth_scheme)6,
                                           "u", "p"), BGCOPY_E_INVALID_AUTH_SCHEME);
    CHECK_EQ_HR(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_BASIC, NULL, "p"),
                BGCOPY_E_INVALIDARG);
    CHECK_EQ_HR(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_DIGEST, "u", NULL),
                BGCOPY_E_INVALIDARG);
    big[301] = 0;
    CHECK_EQ_HR(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_BASIC, big, "p"),
                BGCOPY_E_USERNAME_TOO_LARGE);
    CHECK_EQ_HR(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_BASIC, "u", big),
                BGCOPY_E_PASSWORD_TOO_LARGE);
    big[300] = 0;
    CHECK_HR_OK(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_BASIC, big, big));
    CHECK_HR_OK(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_PROXY,
                                           BGCOPY_AUTH_SCHEME_NTLM, NULL, NULL));
    CHECK_EQ_HR(bgcopy_job_remove_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                              BGCOPY_AUTH_SCHEME_DIGEST), BGCOPY_S_FALSE);
    CHECK_EQ_HR(bgcopy_job_remove_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                              BGCOPY_AUTH_SCHEME_BASIC), BGCOPY_S_OK);
    CHECK_EQ_HR(bgcopy_job_remove_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                              BGCOPY_AUTH_SCHEME_BASIC), BGCOPY_S_FALSE);
    CHECK_EQ_HR(bgcopy_job_remove_credentials(job, BGCOPY_AUTH_TARGET_PROXY,
                                              (bgcopy_auth_scheme)0), BGCOPY_E_INVALID_AUTH_SCHEME);
    free(big);
    CHECK_HR_OK(bgcopy_job_cancel(job));
    CHECK_EQ_HR(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_BASIC, "u", "p"),
                BGCOPY_E_INVALID_STATE);
    CHECK_EQ_HR(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_NO_PROXY, NULL, NULL),
                BGCOPY_E_INVALID_STATE);
    bgcopy_job_release(job);
}

static void test_digest_then_resume(const char *dir)
{
    char *dest = ct_path(dir, "digest.bin");
    char *url = ts_url(&g_srv, "/gen/20000?auth=digest&user=carol&pass=%%C3%%A9t%%C3%%A9");
    bgcopy_job *job = ct_new_job(g_m, "auth-digest");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    /* Basic credentials cannot answer Digest: 401, ERROR. */
    CHECK_HR_OK(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_BASIC, "carol", "\xc3\xa9t\xc3\xa9"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    ht_check_error(job, HR_401, BGCOPY_ERROR_CONTEXT_REMOTE_FILE);
    CHECK(!ts_path_exists(dest));
    /* Digest with the right (UTF-8) password, then Resume. */
    CHECK_HR_OK(bgcopy_job_set_credentials(job, BGCOPY_AUTH_TARGET_SERVER,
                                           BGCOPY_AUTH_SCHEME_DIGEST, "carol", "\xc3\xa9t\xc3\xa9"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(ts_file_matches_gen(dest, 20000));
    bgcopy_job_release(job);
    free(url);
    free(dest);
}

static void test_proxy_settings(const char *dir)
{
    char *dest = ct_path(dir, "proxy.bin");
    char *url = ts_url(&g_srv, "/gen/7000?id=proxy");
    bgcopy_job *job = ct_new_job(g_m, "auth-proxy");
    CHECK_HR_OK(bgcopy_job_add_file(job, url, dest));
    /* A list that does not parse: ERROR with BG_E_INVALID_PROXY_INFO when
     * the job runs, no request reached the server. */
    CHECK_HR_OK(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_OVERRIDE,
                                              "http://user:pw@127.0.0.1:3128", NULL));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_ERROR, 20000);
    ht_check_error(job, BGCOPY_E_INVALID_PROXY_INFO, BGCOPY_ERROR_CONTEXT_GENERAL_TRANSPORT);
    CHECK_EQ_INT(ts_server_log_count(&g_srv, "/gen/7000?id=proxy"), 0);
    /* NO_PROXY goes direct even when the environment names a proxy that
     * does not exist. */
    CHECK_EQ_INT(ts_setenv("http_proxy", "http://127.0.0.1:1"), 0);
    CHECK_EQ_INT(ts_setenv("no_proxy", NULL), 0);
    CHECK_EQ_INT(ts_setenv("NO_PROXY", NULL), 0);
    CHECK_HR_OK(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_NO_PROXY, NULL, NULL));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_EQ_INT(ts_setenv("http_proxy", NULL), 0);
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(ts_file_matches_gen(dest, 7000));
    bgcopy_job_release(job);

    /* OVERRIDE with <local> bypass: localhost goes direct. */
    char *local = malloc(128);
    CHECK(local != NULL);
    snprintf(local, 128, "http://localhost:%d/gen/7000?id=local", g_srv.port);
    char *dest2 = ct_path(dir, "proxy2.bin");
    job = ct_new_job(g_m, "auth-proxy2");
    CHECK_HR_OK(bgcopy_job_add_file(job, local, dest2));
    CHECK_HR_OK(bgcopy_job_set_proxy_settings(job, BGCOPY_PROXY_USAGE_OVERRIDE,
                                              "127.0.0.1:1", "<local>"));
    CHECK_HR_OK(bgcopy_job_resume(job));
    ct_wait_state(job, BGCOPY_JOB_STATE_TRANSFERRED, 20000);
    CHECK_HR_OK(bgcopy_job_complete(job));
    CHECK(ts_file_matches_gen(dest2, 7000));
    bgcopy_job_release(job);
    free(local);
    free(dest2);
    free(url);
    free(dest);
}

int main(void)
{
    CHECK_EQ_INT(ts_server_start(&g_srv, NULL), 0);
    CHECK_HR_OK(bgcopy_manager_open(NULL, &g_m));
    char *dir = ts_mkdtemp();
    test_api();
    test_digest_then_resume(dir);
    test_proxy_settings(dir);
    bgcopy_manager_close(g_m);
    CHECK_EQ_INT(ts_server_stop(&g_srv), 0);
    ts_rmtree(dir);
    free(dir);
    printf("core_http_auth: ok\n");
    return 0;
}
