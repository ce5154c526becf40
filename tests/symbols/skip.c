/* symbols_exports where there is no ELF shared library to check (Windows
 * builds libbgcopy.a only): say so and skip (exit 77). */
#include <stdio.h>

int main(void)
{
    printf("symbols_exports: no ELF libbgcopy.so on this platform (skipped)\n");
    return 77;
}
