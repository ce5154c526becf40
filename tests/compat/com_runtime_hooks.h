/*
 * com_runtime_hooks.h - counters of the test bodies of the runtime's hooks
 * (com_runtime_hooks.c).  All reads are atomic; thread-safe.
 */
#ifndef BGCOPY_TEST_COM_RUNTIME_HOOKS_H
#define BGCOPY_TEST_COM_RUNTIME_HOOKS_H

/* Times bgcopy_compat_on_last_uninitialize() has been called. */
int hooks_last_uninit_calls(void);
/* Times bgcopy_compat_manager_create() has been called. */
int hooks_create_calls(void);
/* Objects made by bgcopy_compat_manager_create() not yet fully released. */
int hooks_live_objects(void);

#endif /* BGCOPY_TEST_COM_RUNTIME_HOOKS_H */
