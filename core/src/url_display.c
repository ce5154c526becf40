/* url_display.c - bgcopy_url_for_display: the public face of the
 * transport's one URL-masking function (bgt_url_redact). */
#include "internal.h"

bgcopy_hr bgcopy_url_for_display(const char *url, char **out)
{
    if (out)
        *out = NULL;
    if (!url || !out)
        return BGCOPY_E_INVALIDARG;
    *out = bgt_url_redact(url);
    return *out ? BGCOPY_S_OK : BGCOPY_E_OUTOFMEMORY;
}
