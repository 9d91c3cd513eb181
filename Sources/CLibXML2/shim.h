// libxml2 through one header. Debian's libxml2 headers pull in ICU, whose types clash with
// Foundation's copy of ICU in any module that sees both; we never use libxml2's ICU support.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/encoding.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
