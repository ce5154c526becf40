/* fd_list_helper.c - the notification program of core_notify_fds: writes
 * the descriptors it found open when it started (fcntl F_GETFD over
 * 0..1023), one number a line, to the file named by its last argument,
 * then exits 0 (1 when it cannot write).  POSIX only. */
#include <stdio.h>

#ifdef _WIN32
int main(void)
{
    return 1;
}
#else
#include <fcntl.h>

int main(int argc, char **argv)
{
    /* Probed before fopen adds a descriptor of its own. */
    int open_fds[1024], n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            open_fds[n++] = fd;
    if (argc < 2)
        return 1;
    FILE *f = fopen(argv[argc - 1], "w");
    if (!f)
        return 1;
    for (int i = 0; i < n; i++)
        fprintf(f, "%d\n", open_fds[i]);
    return fclose(f) == 0 ? 0 : 1;
}
#endif
