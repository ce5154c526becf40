/*
 * bitsadmin_main.c - the bitsadmin executable: one manager for the life of
 * the process, one command line run against it.
 *
 * Without the persistent queue, the jobs of this manager die with the
 * process, which is why /transfer (create, wait, complete in one run) is the
 * switch that matters on the command line today.
 */
#include <stdio.h>

#include "bgcopy.h"
#include "bitsadmin.h"

int main(int argc, char **argv)
{
    bgcopy_manager *m = NULL;
    bgcopy_hr hr = bgcopy_manager_open(NULL, &m);
    if (BGCOPY_FAILED(hr)) {
        fprintf(stderr, "Unable to connect to BITS - 0x%08x\n", (unsigned)hr);
        return BITSADMIN_EXIT_FAILURE;
    }
    int rc = bitsadmin_run(m, argc, argv, stdout, stderr);
    bgcopy_manager_close(m);
    return rc;
}
