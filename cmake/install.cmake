# install.cmake - installation rules and the two ways clients find bgcopy:
# a CMake package (find_package(bgcopy)) and a pkg-config file (bgcopy.pc).
#
# Included OPTIONAL from the top-level CMakeLists.txt after every target
# exists.  The bitsadmin executable installs itself (compat/bitsadmin).

include(CMakePackageConfigHelpers)

set(BGCOPY_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/bgcopy"
    CACHE STRING "Where bgcopyConfig.cmake is installed, relative to the prefix")

# -------------------------------------------------------------- libraries
set(_bgcopy_lib_targets bgcopy_static)
if(TARGET bgcopy)
  list(APPEND _bgcopy_lib_targets bgcopy)   # no shared library on Windows
endif()
if(TARGET bgcopy_win32)
  list(APPEND _bgcopy_lib_targets bgcopy_win32) # bgcopy::win32; Linux only
endif()
install(TARGETS ${_bgcopy_lib_targets}
  EXPORT bgcopyTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# ---------------------------------------------------------------- headers
# Everything public lives in one directory, ${includedir}/bgcopy, so that
# "-I${includedir}/bgcopy" makes both <bgcopy.h> and the Windows-named compat
# headers (<bits.h>, <qmgr.h>, ...) visible exactly as on Windows.  The headers
# are being added by several people, hence a CONFIGURE_DEPENDS glob: a new
# header re-runs CMake instead of silently going missing from the install.
# Sub-directories are kept so that relative includes between headers hold.
foreach(_bgcopy_hdr_root core/include compat/include)
  file(GLOB_RECURSE _bgcopy_hdrs CONFIGURE_DEPENDS
       RELATIVE "${PROJECT_SOURCE_DIR}/${_bgcopy_hdr_root}"
       "${PROJECT_SOURCE_DIR}/${_bgcopy_hdr_root}/*.h"
       "${PROJECT_SOURCE_DIR}/${_bgcopy_hdr_root}/*.hpp")
  foreach(_bgcopy_hdr IN LISTS _bgcopy_hdrs)
    get_filename_component(_bgcopy_hdr_dir "${_bgcopy_hdr}" DIRECTORY)
    install(FILES "${PROJECT_SOURCE_DIR}/${_bgcopy_hdr_root}/${_bgcopy_hdr}"
            DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/bgcopy/${_bgcopy_hdr_dir}")
  endforeach()
endforeach()

# ----------------------------------------------------------- CMake package
install(EXPORT bgcopyTargets
  NAMESPACE bgcopy::
  FILE bgcopyTargets.cmake
  DESTINATION ${BGCOPY_INSTALL_CMAKEDIR})

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/bgcopyConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/bgcopyConfig.cmake"
  INSTALL_DESTINATION ${BGCOPY_INSTALL_CMAKEDIR})
# Before 1.0 a minor version may break the API, so only x.y.* are compatible.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake/bgcopyConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/cmake/bgcopyConfig.cmake"
  "${PROJECT_BINARY_DIR}/cmake/bgcopyConfigVersion.cmake"
  DESTINATION ${BGCOPY_INSTALL_CMAKEDIR})

# -------------------------------------------------------------- pkg-config
# The .pc file locates the prefix from its own position (${pcfiledir}), so an
# install made with "cmake --install --prefix X" or DESTDIR and then moved
# still works.  Absolute LIBDIR/INCLUDEDIR values are taken as they are.
set(BGCOPY_PC_LIBDIR_REL "${CMAKE_INSTALL_LIBDIR}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(BGCOPY_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(BGCOPY_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
  set(BGCOPY_PC_PCDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
else()
  file(RELATIVE_PATH _bgcopy_pc_up "/bgcopy-root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/bgcopy-root")
  string(REGEX REPLACE "/$" "" _bgcopy_pc_up "${_bgcopy_pc_up}")
  set(BGCOPY_PC_PREFIX "\${pcfiledir}/${_bgcopy_pc_up}")
  set(BGCOPY_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(BGCOPY_PC_PCDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(BGCOPY_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(BGCOPY_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/bgcopy.pc.in"
               "${PROJECT_BINARY_DIR}/cmake/bgcopy.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/cmake/bgcopy.pc" DESTINATION "${BGCOPY_PC_PCDIR}")
# libbgcopy-win32 is static and calls libuv, so libuv is a public
# requirement of its .pc (Linux only).
if(TARGET bgcopy_win32)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/bgcopy-win32.pc.in"
                 "${PROJECT_BINARY_DIR}/cmake/bgcopy-win32.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/cmake/bgcopy-win32.pc" DESTINATION "${BGCOPY_PC_PCDIR}")
endif()
