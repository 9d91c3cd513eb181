/* Old symbol versions for the portable build (packaging/dist.sh).
 *
 * The binary is linked against Debian 11's glibc 2.31, whose libm gives exp, log, pow (2.29) and expf, logf,
 * powf (2.27) new symbol versions: the new ones only dropped SVID `matherr` error handling, so the results are
 * the same. Each NAME is linked with --wrap=NAME: the program's references go to __wrap_NAME, which calls
 * NAME@GLIBC_2.2.5 (x86_64's first version), found in every glibc since.
 *
 * Link with lld or bfd, never gold: gold resolves the .symver alias back to the wrapper (an endless loop).
 * `make dist-test` proves the references bind to GLIBC_2.2.5. */

#define OLD1(type, name)                                           \
    __asm__(".symver " #name "_glibc225, " #name "@GLIBC_2.2.5"); \
    type name##_glibc225(type);                                    \
    type __wrap_##name(type x) { return name##_glibc225(x); }

#define OLD2(type, name)                                           \
    __asm__(".symver " #name "_glibc225, " #name "@GLIBC_2.2.5"); \
    type name##_glibc225(type, type);                              \
    type __wrap_##name(type x, type y) { return name##_glibc225(x, y); }

OLD1(double, exp)
OLD1(double, exp2)
OLD1(double, log)
OLD1(double, log2)
OLD2(double, pow)
OLD1(float, expf)
OLD1(float, exp2f)
OLD1(float, logf)
OLD1(float, log2f)
OLD2(float, powf)
