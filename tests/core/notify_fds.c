/* The notification program gets descriptors 0, 1 and 2 and nothing else of
 * the engine (docs/security.md): no libcurl socket, no socket
 * pair, no temporary file, no libuv descriptor.  And the engine's own
 * connections to the server are close-on-exec, so that a program the
 * application starts by other means does not inherit them either.  One job downloads slowly
 * so that libcurl's connection is open while another job's JobTransferred
 * runs the command line; the program (fd_list_helper.c) writes the
 * descriptors it inherited to a file.  POSIX only. */
#include "core_test.h"

#include <stdio.h>

#ifdef _WIN32
int main(void)
{
    printf("core_notify_fds: SKIP Windows has handles, not descriptors; uv_spawn passes only "
           "handles marked inheritable (docs/security.md)\n");
    return 77;
}
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* How many of this process's descriptors are TCP connections to
 * 127.0.0.1:|port|; fails the test on one without FD_CLOEXEC. */
static int check_server_sockets_cloexec(int port)
{
    int found = 0;
    for (int fd = 3; fd < 1024; fd++) {
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
            continue;
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        if (getpeername(fd, (struct sockaddr *)&peer, &len) != 0 || peer.sin_family != AF_INET ||
            ntohs(peer.sin_port) != port)
            continue;
        found++;
        CHECK_MSG(fcntl(fd, F_GETFD) & FD_CLOEXEC, "socket %d to the server is inheritable", fd);
    }
    return found;
}

static int exists(void *path)
{
    int64_t size = ts_file_size(path);
    return size > 0;
}

int main(void)
{
    ts_server srv;
    CHECK_EQ_INT(ts_server_start(&srv, NULL), 0);
    char *dir = ts_mkdtemp();
    char *listing = ct_path(dir, "fds.txt");

    char helper[4096];
    size_t n = sizeof helper;
    CHECK_EQ_INT(uv_exepath(helper, &n), 0);
    while (n > 0 && !ct_is_sep(helper[n - 1]))
        n--;
    snprintf(helper + n, sizeof helper - n, "%s", "core_fd_list_helper");

    bgcopy_manager *m = NULL;
    CHECK_HR_OK(bgcopy_manager_open(NULL, &m));

    /* 20 MB at 500 kB/s: in flight for the whole test. */
    bgcopy_job *slow = ct_new_job(m, "slow");
    char *slow_url = ts_url(&srv, "/gen/%u?rate=%u", 20000000u, 500000u);
    char *slow_dest = ct_path(dir, "slow.bin");
    CHECK_HR_OK(bgcopy_job_add_file(slow, slow_url, slow_dest));
    CHECK_HR_OK(bgcopy_job_set_priority(slow, BGCOPY_JOB_PRIORITY_FOREGROUND));
    CHECK_HR_OK(bgcopy_job_resume(slow));
    ct_wait_state(slow, BGCOPY_JOB_STATE_TRANSFERRING, 20000);
    CHECK_MSG(check_server_sockets_cloexec(srv.port) >= 1, "no connection to the server found");

    bgcopy_job *quick = ct_new_job(m, "quick");
    char *quick_url = ts_url(&srv, "/gen/%u", 1000u);
    char *quick_dest = ct_path(dir, "quick.bin");
    CHECK_HR_OK(bgcopy_job_add_file(quick, quick_url, quick_dest));
    CHECK_HR_OK(bgcopy_job_set_priority(quick, BGCOPY_JOB_PRIORITY_FOREGROUND));
    char params[4300];
    snprintf(params, sizeof params, "fdlist \"%s\"", listing);
    CHECK_HR_OK(bgcopy_job_set_notify_cmdline(quick, helper, params));
    CHECK_HR_OK(bgcopy_job_set_notify_flags(quick, BGCOPY_NOTIFY_JOB_TRANSFERRED));
    CHECK_HR_OK(bgcopy_job_resume(quick));
    CHECK_MSG(ts_wait_until(exists, listing, 20000), "the notification program never ran");

    /* The slow download was still going: curl's descriptors existed. */
    bgcopy_job_state st;
    CHECK_HR_OK(bgcopy_job_get_state(slow, &st));
    CHECK_EQ_INT(st, BGCOPY_JOB_STATE_TRANSFERRING);
    char *fds = ts_read_file(listing, NULL);
    CHECK_NOT_NULL(fds);
    CHECK_EQ_STR(fds, "0\n1\n2\n");
    free(fds);

    CHECK_HR_OK(bgcopy_job_cancel(slow));
    CHECK_HR_OK(bgcopy_job_cancel(quick));
    bgcopy_job_release(slow);
    bgcopy_job_release(quick);
    bgcopy_manager_close(m);
    free(slow_url);
    free(slow_dest);
    free(quick_url);
    free(quick_dest);
    free(listing);
    CHECK_EQ_INT(ts_rmtree(dir), 0);
    free(dir);
    CHECK_EQ_INT(ts_server_stop(&srv), 0);
    printf("core_notify_fds: ok\n");
    return 0;
}
#endif
