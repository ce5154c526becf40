/*
 * sal.h - bgcopy's stand-in for the Windows SDK header of the same name:
 * Microsoft's source-code annotation language, as no-ops.
 *
 * BITS programs and Microsoft's BITS documentation annotate parameters
 * (_In_, _Out_, _COM_Outptr_, ...).  Only Microsoft's compiler checks them;
 * everywhere else, including with the SDK under mingw-w64, they expand to
 * nothing, and so they do here.  Only the underscore-capital spellings are
 * defined: the older __in / __out forms collide with names libstdc++ uses.
 *
 * On Windows the SDK's own <sal.h> is used (GCC-family compilers are
 * forwarded to it; others stop with an error that says so).
 */
#ifdef _WIN32
#  if defined(__GNUC__)
#    include_next <sal.h>
#  else
#    error "bgcopy compat/include/sal.h is for non-Windows builds: list the Windows SDK include directories before bgcopy's compat/include"
#  endif
#else
#  ifndef BGCOPY_WRAP_SAL_H
#  define BGCOPY_WRAP_SAL_H

/* Parameters */
#  define _In_
#  define _In_opt_
#  define _In_z_
#  define _In_opt_z_
#  define _In_reads_(size)
#  define _In_reads_opt_(size)
#  define _In_reads_bytes_(size)
#  define _In_reads_bytes_opt_(size)
#  define _In_reads_z_(size)
#  define _In_range_(lo, hi)
#  define _Out_
#  define _Out_opt_
#  define _Out_writes_(size)
#  define _Out_writes_opt_(size)
#  define _Out_writes_bytes_(size)
#  define _Out_writes_bytes_opt_(size)
#  define _Out_writes_z_(size)
#  define _Out_writes_to_(size, count)
#  define _Out_writes_to_opt_(size, count)
#  define _Out_writes_all_(size)
#  define _Out_range_(lo, hi)
#  define _Inout_
#  define _Inout_opt_
#  define _Inout_z_
#  define _Inout_updates_(size)
#  define _Inout_updates_opt_(size)
#  define _Inout_updates_bytes_(size)
#  define _Outptr_
#  define _Outptr_opt_
#  define _Outptr_result_maybenull_
#  define _Outptr_opt_result_maybenull_
#  define _Outptr_result_z_
#  define _Outptr_opt_result_z_
#  define _Outptr_result_maybenull_z_
#  define _Outptr_result_buffer_(size)
#  define _Outptr_result_buffer_maybenull_(size)
#  define _Outptr_result_bytebuffer_(size)
#  define _COM_Outptr_
#  define _COM_Outptr_opt_
#  define _COM_Outptr_result_maybenull_
#  define _COM_Outptr_opt_result_maybenull_
#  define _Deref_out_
#  define _Deref_out_opt_
#  define _Deref_out_z_
#  define _Reserved_
#  define _Pre_null_
#  define _Pre_notnull_
#  define _Pre_maybenull_
#  define _Pre_valid_
#  define _Post_null_
#  define _Post_notnull_
#  define _Post_maybenull_
#  define _Post_valid_
#  define _Post_invalid_
#  define _Post_z_
#  define _Frees_ptr_
#  define _Frees_ptr_opt_
#  define _Printf_format_string_
#  define _Null_terminated_
#  define _NullNull_terminated_
#  define _Field_size_(size)
#  define _Field_size_opt_(size)
#  define _Field_size_bytes_(size)
#  define _Field_size_part_(size, count)
#  define _Field_z_
/* Functions and returns */
#  define _Check_return_
#  define _Must_inspect_result_
#  define _Use_decl_annotations_
#  define _Success_(expr)
#  define _Ret_
#  define _Ret_z_
#  define _Ret_maybenull_
#  define _Ret_notnull_
#  define _Ret_writes_(size)
#  define _Ret_writes_maybenull_(size)
#  define _Result_nullonfailure_
#  define _Result_zeroonfailure_
#  define _Always_(annos)
#  define _When_(expr, annos)
#  define _Analysis_assume_(expr)
#  define _Analysis_mode_(mode)
#  define _Acquires_lock_(lock)
#  define _Releases_lock_(lock)
#  define _Requires_lock_held_(lock)
#  define _Guarded_by_(lock)
#  define _Function_class_(name)
#  define _IRQL_requires_max_(level)
#  define _Struct_size_bytes_(size)

#  endif /* BGCOPY_WRAP_SAL_H */
#endif
