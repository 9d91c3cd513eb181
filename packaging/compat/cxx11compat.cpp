// The static Swift runtime was compiled with GCC 12's headers, which call this libstdc++ 3.4.29 function;
// Debian 11's GCC 10 libstdc++.a (linked by packaging/dist.sh) predates it. The runtime is built without
// exceptions, and only an array allocation whose size overflows reaches it: abort, as an uncaught throw would.
#include <cstdlib>

namespace std {
[[noreturn]] void __throw_bad_array_new_length() { std::abort(); }
}
