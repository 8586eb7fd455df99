# seccomp-resolve.jq: a docker-format seccomp profile (archMap, includes/excludes) ->
# the OCI linux.seccomp docker and podman send to the runtime, for a container on
# x86_64 (GOARCH amd64) holding the capabilities $caps (["CAP_CHOWN", ...]). Written
# from docker's profiles/seccomp/seccomp_linux.go: a rule applies when all its
# includes.caps are held, none of its excludes.caps, and amd64 is in includes.arches
# (when given) and not in excludes.arches; minKernel is taken as met.
def held($c): $caps | index($c);
{
  defaultAction,
  defaultErrnoRet,
  architectures: (.architectures // [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
                  | .architecture, (.subArchitectures // [])[]]),
  flags,
  syscalls: [.syscalls[]
    | select(all((.includes.caps // [])[]; held(.)))
    | select(any((.excludes.caps // [])[]; held(.)) | not)
    | select(((.includes.arches // []) | length == 0) or ((.includes.arches // []) | index("amd64")))
    | select((.excludes.arches // []) | index("amd64") | not)
    | del(.includes, .excludes, .comment, .errno)]
} | with_entries(select(.value != null))
