/* removed once compat has sources */ typedef int bgcopy_compat_placeholder_t;
