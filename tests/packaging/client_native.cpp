// client_native.cpp - proves the installed <bgcopy.h> is usable from C++
// (extern "C" linkage, no C-only constructs): compiled with the C++ compiler
// and the flags of `pkg-config --cflags --libs bgcopy`.
#include <bgcopy.h>

#include <cstdio>
#include <string_view>

int main()
{
    bgcopy_manager *m = nullptr;
    if (bgcopy_manager_open(nullptr, &m) != BGCOPY_S_OK) {
        std::fprintf(stderr, "bgcopy_manager_open failed\n");
        return 1;
    }
    bgcopy_manager_close(m);
    // A text lookup that must come from the library, not from the header.
    const char *name = bgcopy_hr_name(BGCOPY_E_INVALID_STATE);
    if (name == nullptr || std::string_view(name) != "BG_E_INVALID_STATE") {
        std::fprintf(stderr, "bgcopy_hr_name gave %s\n", name ? name : "(null)");
        return 1;
    }
    std::printf("c++ client ok\n");
    return 0;
}
