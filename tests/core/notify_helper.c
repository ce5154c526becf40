/* notify_helper.c - the program core_notify_cmdline registers with
 * SetNotifyCmdLine.  A compiled program rather than a shell script because
 * on Windows the notification program must be an executable.  The test
 * copies it into its private directory; it appends "run", "(argv[0])" and
 * "[argv[i]]" for each further argument, one per line, to "runs.txt" beside
 * itself, then exits with the number written in the file "code" there.
 * Exit codes 100-104 mean the helper itself failed. */
#include <uv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    /* Its own directory: argv[0] is whatever the notification command line
     * says, not where the program is. */
    char dir[4096];
    size_t n = sizeof dir;
    if (uv_exepath(dir, &n) != 0)
        return 100;
    char *cut = dir + n;
    while (cut > dir && cut[-1] != '/' && cut[-1] != '\\')
        cut--;
    *cut = 0;
    char runs[4200], code[4200];
    snprintf(runs, sizeof runs, "%sruns.txt", dir);
    snprintf(code, sizeof code, "%scode", dir);

    FILE *f = fopen(runs, "ab"); /* binary: "\n", not "\r\n", on Windows */
    if (!f)
        return 101;
    fprintf(f, "run\n(%s)\n", argc > 0 ? argv[0] : "");
    for (int i = 1; i < argc; i++)
        fprintf(f, "[%s]\n", argv[i]);
    if (fclose(f) != 0)
        return 102;

    FILE *c = fopen(code, "rb");
    if (!c)
        return 103;
    int rc = 104;
    if (fscanf(c, "%d", &rc) != 1)
        rc = 104;
    fclose(c);
    return rc;
}
