# Packaging tests: the installed tree (headers, libbgcopy.so/.a, bgcopy.pc,
# bgcopyConfig.cmake) is what clients see, so it is tested the way a client
# uses it: install this build tree into a scratch prefix, then build and run
# programs against that prefix only: C and C++ clients (COM style over
# <bits.h>, and native over <bgcopy.h>) through pkg-config, a CMake project
# through find_package(bgcopy), and the README's examples, which download a
# file from bgcopy-testserver.


if(WIN32 AND CMAKE_CROSSCOMPILING)
  # Cross build (scripts/test.sh's windows stage): the clients are built with
  # the same toolchain and run under wine.
  add_test(NAME packaging_install
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/packaging/install_test_windows.sh
      --build-dir ${PROJECT_BINARY_DIR}
      --cmake ${CMAKE_COMMAND}
      --generator ${CMAKE_GENERATOR}
      --toolchain ${CMAKE_TOOLCHAIN_FILE}
      --deps "${BGCOPY_WINDOWS_DEPS}"
      --readme ${PROJECT_SOURCE_DIR}/README.md
      --testserver $<TARGET_FILE:bgcopy-testserver>)
else()
  add_test(NAME packaging_install
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/packaging/install_test.sh
      --build-dir ${PROJECT_BINARY_DIR}
      --cmake ${CMAKE_COMMAND}
      --generator ${CMAKE_GENERATOR}
      --cc ${CMAKE_C_COMPILER}
      --cxx ${CMAKE_CXX_COMPILER}
      --sanitize "${BGCOPY_SANITIZE}"
      --com 1
      --readme ${PROJECT_SOURCE_DIR}/README.md
      --testserver $<TARGET_FILE:bgcopy-testserver>)
endif()
set_tests_properties(packaging_install PROPERTIES
  TIMEOUT 300
  LABELS packaging)
