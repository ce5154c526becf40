/*
 * platform.h - the few OS services libuv does not offer, behind one small
 * interface (platform.c).  Everything else goes through libuv.
 */
#ifndef BGCOPY_PLATFORM_H
#define BGCOPY_PLATFORM_H

/* Sets or clears the "hidden" mark of the file at |path| (UTF-8).  On
 * Windows this is FILE_ATTRIBUTE_HIDDEN, which BITS gives its BIT*.tmp
 * files; on POSIX a file is hidden by its leading dot, which the caller
 * chose with the name, so this does nothing.  Returns 0, or a negative
 * libuv-style error code (UV_ENOMEM, UV_EINVAL, UV_EIO) when the attribute
 * could not be changed; callers treat that as cosmetic.  Thread-safe. */
int bgc_platform_set_hidden(const char *path, int hidden);

#endif /* BGCOPY_PLATFORM_H */
