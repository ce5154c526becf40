/* job_ranges.c - files with byte ranges (AddFileWithRanges, GetFileRanges),
 * remote names (SetRemoteName, ReplaceRemotePrefix). */
#include "internal.h"

#include <stdlib.h>

void bgc_ranges_job_free(bgcopy_job *job)
{
    for (uint32_t i = 0; i < job->file_count; i++)
        free(job->files[i].ranges);
    free(job->custom_headers);
}
