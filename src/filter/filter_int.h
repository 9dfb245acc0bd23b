/* Internal: the compiled display-filter program, shared by the compiler
 * (compile.c), the name resolver (names.c) and the evaluator (eval.c). Not
 * part of the public API. Everything is fixed-size: a program is one
 * allocation, and matching it allocates nothing. */
#ifndef WP_FILTER_INT_H
#define WP_FILTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/filter.h"
#include "wirepeel/packet.h"

/* Bounds of one program; going past one is a compile error. */
#define WPF_MAX_NODES 128  /* tests and and/or/not nodes */
#define WPF_MAX_ELEMS 128  /* literal values, set elements included */
#define WPF_MAX_LIT 4096   /* bytes of byte-string and address literals */
#define WPF_MAX_DEPTH 32   /* nesting of parentheses and not */
#define WPF_MAX_CANDS 4    /* places one name reads from (ip.addr: src, dst) */
#define WPF_NAME_MAX 64    /* longest field name */
#define WPF_SUGGEST_MAX 3  /* names an unknown name is offered */

/* Where a name's values come from. */
typedef enum wpf_cand_kind {
    WPF_C_FIELD = 1,   /* a field-table row of a proto's layers */
    WPF_C_PROTO,       /* a layer of a proto: present, and its header bytes */
    WPF_C_FRAME,       /* the whole frame: present, and its captured bytes */
    WPF_C_FRAME_LEN,   /* bytes on the wire */
    WPF_C_FRAME_CAPLEN,/* bytes captured */
    WPF_C_FRAME_NUMBER,/* the capture's frame number */
    WPF_C_SEG_LEN,     /* a layer's payload: its length minus its header */
    WPF_C_FLOW,        /* a conversation field (the flow annotation) */
} wpf_cand_kind;

/* The conversation fields a FLOW candidate reads (wpf_cand.field). */
typedef enum wpf_flow_field {
    WPF_FL_STREAM = 1,  /* any kind's stream number */
    WPF_FL_TCP_STREAM,
    WPF_FL_UDP_STREAM,
    WPF_FL_SEQ,         /* TCP, relative */
    WPF_FL_ACK,
    WPF_FL_NEXT_SEQ,
    WPF_FL_SEG_LEN,
    WPF_FL_WINDOW,      /* scaled */
    WPF_FL_ANALYSIS,    /* present when any of bit's labels is set */
    WPF_FL_DUP_ACK_NUM,
    WPF_FL_REPLY_TO,
    WPF_FL_ICMP_RESP_TO,
} wpf_flow_field;

typedef struct wpf_cand {
    uint8_t kind;      /* wpf_cand_kind */
    uint8_t proto;     /* FIELD, PROTO, SEG_LEN: the layers it reads */
    uint8_t use_mult;  /* FIELD: the derived value (IHL x 4) */
    uint8_t zero_len;  /* FIELD: a 0 stands for the layer's length (IPv4's
                          total length 0 under segmentation offload) */
    uint16_t field;    /* FIELD: row in the proto's table; FLOW: wpf_flow_field */
    uint32_t bit;      /* FIELD: nonzero: the value is whether this bit is set */
} wpf_cand;

/* The kind of value a name gives, which decides how literals are read. */
typedef enum wpf_vtype {
    WPF_V_NUM = 1,
    WPF_V_IPV4,
    WPF_V_IPV6,
    WPF_V_MAC,
    WPF_V_BYTES,
} wpf_vtype;

typedef struct wpf_ref {
    uint8_t ncand;
    uint8_t vtype;     /* wpf_vtype, after any slice */
    uint8_t sliced;
    uint8_t slice_to_end;
    int32_t soff;      /* slice offset (negative: from the end) */
    uint32_t slen;     /* slice length (unless slice_to_end) */
    wpf_cand cand[WPF_MAX_CANDS];
} wpf_ref;

/* A literal: a number range (lo..hi; one number: lo == hi) or bytes in the
 * literal pool (boff, blen) with an optional range end (hoff, hlen) and an
 * address prefix in bits (prefix < blen * 8 for a CIDR block). */
typedef struct wpf_elem {
    uint64_t lo, hi;
    uint16_t boff, blen, hoff, hlen;
    uint16_t prefix;
    uint8_t is_range;
} wpf_elem;

typedef enum wpf_op {
    WPF_OP_EXISTS = 1,
    WPF_OP_EQ,
    WPF_OP_NE,      /* all not equal (Wireshark 4.0's !=) */
    WPF_OP_ANY_NE,  /* ~= */
    WPF_OP_LT,
    WPF_OP_LE,
    WPF_OP_GT,
    WPF_OP_GE,
    WPF_OP_CONTAINS,
    WPF_OP_IN,
    WPF_OP_BITAND,
} wpf_op;

typedef enum wpf_node_type {
    WPF_N_TEST = 1,
    WPF_N_AND,
    WPF_N_OR,
    WPF_N_NOT,
} wpf_node_type;

typedef struct wpf_node {
    uint8_t type;      /* wpf_node_type */
    uint8_t op;        /* TEST: wpf_op */
    uint16_t a, b;     /* AND/OR: both children; NOT: a */
    uint16_t elem_first, elem_count;
    wpf_ref ref;
} wpf_node;

struct wp_filter {
    uint16_t nnodes, root, nelems;
    uint32_t nlit;
    wpf_node nodes[WPF_MAX_NODES];
    wpf_elem elems[WPF_MAX_ELEMS];
    uint8_t lit[WPF_MAX_LIT];
};

/* Resolve a field name (n bytes at name) into r's candidates and value
 * type. 0 when known; -1 when not. */
int wp_filter_resolve_name(const char *name, size_t n, wpf_ref *r);

/* The first Wireshark alias whose field-table row does not exist (a table
 * lost or renamed it), or NULL when all resolve. For the unit test. */
const char *wp_filter_alias_unresolved(void);

#endif
