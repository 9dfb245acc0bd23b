/* wirepeel — the decoded packet: a bounded stack of layers and events.
 *
 * A frame is what a capture source hands over (timestamp, lengths, link type,
 * bytes). wp_decode() turns it into a wp_packet: one wp_layer per header, in
 * the order they wrap each other (link first), each with its byte offset,
 * header length, the length its own fields give it, its decoded header in
 * host order and its checksum status; then data layers for the payload and
 * any trailer. What cannot be trusted becomes an event, never an abort.
 *
 * Every header kind has one field table (wp_field[]): name, title, position,
 * mask and shift, Python struct code, and where the decoded value lives. The
 * text renderers, JSON, the view and the struct recipe all walk that table. */
#ifndef WIREPEEL_PACKET_H
#define WIREPEEL_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Link types, numbered as libpcap's LINKTYPE_* values. */
enum {
    WP_LINK_NULL = 0,
    WP_LINK_EN10MB = 1,
    WP_LINK_PPP = 9,
    WP_LINK_RAW = 101,
    WP_LINK_C_HDLC = 104,
    WP_LINK_LOOP = 108,
    WP_LINK_LINUX_SLL = 113,
    WP_LINK_IPV4 = 228,
    WP_LINK_IPV6 = 229,
    WP_LINK_NFLOG = 239,
    WP_LINK_LINUX_SLL2 = 276,
};

typedef enum wp_proto {
    WP_PROTO_NONE = 0,
    WP_PROTO_ETH,
    WP_PROTO_VLAN,
    WP_PROTO_SLL,
    WP_PROTO_SLL2,
    WP_PROTO_NULL,
    WP_PROTO_ARP,
    WP_PROTO_IPV4,
    WP_PROTO_IPV6,
    WP_PROTO_IPV6_HOPOPTS,
    WP_PROTO_IPV6_ROUTE,
    WP_PROTO_IPV6_FRAG,
    WP_PROTO_IPV6_DSTOPTS,
    WP_PROTO_ICMP,
    WP_PROTO_ICMPV6,
    WP_PROTO_UDP,
    WP_PROTO_TCP,
    WP_PROTO_GRE,   /* RFC 2784/2890 */
    WP_PROTO_VXLAN, /* RFC 7348, UDP 4789 */
    WP_PROTO_MPLS,  /* RFC 3032: one layer per label stack entry */
    WP_PROTO_DNS,   /* RFC 1035: the header (UDP 53) */
    WP_PROTO_PPPOE, /* RFC 2516: discovery and session */
    WP_PROTO_PPP,   /* RFC 1661: a link type, or inside PPPoE */
    WP_PROTO_AH,    /* RFC 4302: IP protocol 51 */
    WP_PROTO_ESP,   /* RFC 4303: IP protocol 50, SPI and sequence; the rest opaque */
    WP_PROTO_IGMP,  /* RFC 1112, 2236, 3376: IP protocol 2 */
    /* tunnels: */
    WP_PROTO_GENEVE,     /* RFC 8926, UDP 6081: the fixed 8 bytes */
    WP_PROTO_GENEVE_OPT, /* one Geneve option (class, type, length, data) */
    WP_PROTO_GTPU,       /* 3GPP TS 29.281, UDP 2152 */
    WP_PROTO_L2TP,       /* RFC 2661 (v2) and RFC 3931 (v3) over UDP 1701 */
    WP_PROTO_ERSPAN,     /* ERSPAN type II and III inside GRE (0x88be, 0x22eb) */
    WP_PROTO_PBB,        /* IEEE 802.1ah I-tag (EtherType 0x88e7) */
    WP_PROTO_HTTP,  /* RFC 9112: HTTP/1.x request or status line and header lines */
    WP_PROTO_TLS,   /* RFC 8446/5246: one TLS record header (and a ClientHello's SNI) */
    WP_PROTO_SCTP,  /* RFC 9260: IP protocol 132, common header and chunks */
    WP_PROTO_CHDLC, /* Cisco HDLC: LINKTYPE_C_HDLC (104) */
    WP_PROTO_NFLOG, /* Linux NFLOG: LINKTYPE_NFLOG (239), header and TLVs */
    WP_PROTO_DNSTCP, /* RFC 7766: DNS over TCP, the 2-byte length before a message */
    /* data layers: no header, only a byte range */
    WP_PROTO_PAYLOAD,  /* what the innermost header carries */
    WP_PROTO_FRAGMENT, /* data of a fragment: never decoded as a header */
    WP_PROTO_TRAILER,  /* bytes after what the length fields cover (padding) */
    WP_PROTO_RAW,      /* a link type wirepeel does not decode */
    WP_PROTO_COUNT
} wp_proto;

/* Checksum status of a layer, as DESIGN.md defines them. */
typedef enum wp_csum {
    WP_CSUM_NA = 0,     /* the header has no checksum */
    WP_CSUM_GOOD,
    WP_CSUM_BAD,
    WP_CSUM_OFFLOADED,  /* the partial checksum Linux leaves for the NIC */
    WP_CSUM_NONE,       /* UDP over IPv4 with checksum 0: the sender computed none */
    WP_CSUM_UNVERIFIED, /* too few bytes captured, or a fragment */
} wp_csum;

/* Limits: a packet never holds more than these; hitting one is an event. */
#define WP_MAX_LAYERS 24
#define WP_MAX_EVENTS 16
#define WP_MAX_OPTS 64
#define WP_OPT_MAXV 10

/* One IPv4 or TCP option, decoded. off is the option's offset in the frame;
 * len its length byte (1 for EOL/NOP). v[] holds its values in host order:
 *   tcp mss: v[0]; wscale: v[0]=shift; sack: pairs v[0..nv); timestamp: tsval, tsecr
 *   ipv4 rr/lsrr/ssrr: v[0]=pointer, then addresses; ts: v[0]=pointer,
 *   v[1]=overflow<<4|flag, then the 32-bit words; ra: v[0]
 *   dns (one option a question or record, kind 0..3: question, answer,
 *   authority, additional; off: where its name starts; len: its wire bytes):
 *   v[0]=type, v[1]=class; records also v[2]=ttl, v[3]=rdlength,
 *   v[4]=the frame offset of the rdata
 * unknown options keep only kind, len and off (their data is in the frame). */
typedef struct wp_opt {
    uint8_t kind;
    uint16_t len;     /* 16 bits: a DNS record (kind: its section), an SCTP chunk
                         or an NFLOG TLV is longer than 255 */
    uint8_t nv;
    uint8_t bad;      /* length byte contradicts the option or the header */
    uint32_t off;
    uint32_t v[WP_OPT_MAXV];
} wp_opt;

/* Decoded headers, host order. Addresses stay as bytes (network order). */
typedef struct wp_eth_hdr {
    uint8_t dst[6], src[6];
    uint16_t type;     /* EtherType, or the 802.3 length when <= 1500 */
    uint8_t is_8023;   /* type field is a length: an 802.3 frame with LLC */
    uint8_t dsap, ssap, ctrl;
} wp_eth_hdr;

typedef struct wp_vlan_hdr {
    uint16_t tpid;     /* the tag protocol id that announced this tag */
    uint8_t pcp, dei;
    uint16_t vid;
    uint16_t type;
} wp_vlan_hdr;

typedef struct wp_sll_hdr {
    uint16_t pkttype, hatype, halen;
    uint8_t addr[8];
    uint16_t protocol;
    uint16_t reserved; /* SLL2 only */
    uint32_t ifindex;  /* SLL2 only */
} wp_sll_hdr;

typedef struct wp_null_hdr {
    uint32_t family;   /* read in the byte order that gives a known family */
    uint8_t swapped;   /* 1 when the family was in the other byte order */
} wp_null_hdr;

typedef struct wp_arp_hdr {
    uint16_t htype, ptype;
    uint8_t hlen, plen;
    uint16_t op;
    uint8_t sha[6], spa[4], tha[6], tpa[4];
} wp_arp_hdr;

typedef struct wp_ipv4_hdr {
    uint8_t version, ihl, dscp, ecn;
    uint16_t total_len, id;
    uint8_t flags, df, mf;
    uint16_t frag_offset;
    uint8_t ttl, proto;
    uint16_t checksum;
    uint8_t src[4], dst[4];
} wp_ipv4_hdr;

typedef struct wp_ipv6_hdr {
    uint8_t version, tclass;
    uint32_t flow;
    uint16_t payload_len;
    uint8_t next_header, hop_limit;
    uint8_t src[16], dst[16];
} wp_ipv6_hdr;

/* Hop-by-hop, routing, fragment and destination options. */
typedef struct wp_ipv6_ext_hdr {
    uint8_t next_header, hdr_ext_len;
    uint8_t routing_type, segments_left; /* routing */
    uint16_t offset;                     /* fragment: 13-bit offset, 8-byte units */
    uint8_t m;                           /* fragment: more fragments */
    uint32_t id;                         /* fragment: identification */
} wp_ipv6_ext_hdr;

typedef struct wp_icmp_hdr {
    uint8_t type, code;
    uint16_t checksum;
    uint16_t id, seq;   /* echo and other query messages */
    uint32_t rest;      /* the 4 bytes after the checksum, whatever they mean */
    uint16_t mtu;       /* v4 frag-needed next-hop MTU; v6 uses rest */
    uint8_t gateway[4]; /* v4 redirect */
    uint8_t pointer;    /* v4 parameter problem: offset of the bad byte */
} wp_icmp_hdr;

typedef struct wp_udp_hdr {
    uint16_t sport, dport, length, checksum;
} wp_udp_hdr;

typedef struct wp_tcp_hdr {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t data_offset;
    uint16_t flags;     /* the 12 bits after the data offset */
    uint16_t window, checksum, urgent;
} wp_tcp_hdr;

typedef struct wp_gre_hdr {
    uint16_t flags;     /* the first 16 bits but the version: C 0x8000, K 0x2000, S 0x1000 */
    uint8_t version;
    uint16_t protocol;  /* an EtherType (0x6558: transparent Ethernet bridging) */
    uint16_t checksum;  /* when C */
    uint32_t key;       /* when K */
    uint32_t seq;       /* when S */
} wp_gre_hdr;

typedef struct wp_vxlan_hdr {
    uint8_t flags;      /* 0x08: the VNI is valid */
    uint32_t vni;       /* 24 bits */
} wp_vxlan_hdr;

typedef struct wp_mpls_hdr {
    uint32_t label;     /* 20 bits */
    uint8_t tc, s, ttl;
} wp_mpls_hdr;

typedef struct wp_dns_hdr {
    uint16_t id;
    uint8_t qr, opcode, aa, tc, rd, ra, rcode;
    uint16_t qdcount, ancount, nscount, arcount;
} wp_dns_hdr;

typedef struct wp_pppoe_hdr {
    uint8_t version, type, code;
    uint16_t session_id, length;
} wp_pppoe_hdr;

typedef struct wp_ppp_hdr {
    uint8_t address, control; /* 0xff 0x03 on the PPP link type (HDLC-like framing) */
    uint8_t has_ac;           /* the frame starts with address and control */
    uint16_t protocol;        /* 0x0021 IPv4, 0x0057 IPv6 */
} wp_ppp_hdr;

typedef struct wp_ah_hdr {
    uint8_t next_header, length; /* length: in 4-byte words, minus 2 */
    uint32_t spi, seq;
} wp_ah_hdr;

/* DNS over TCP: the message length before the message (the DNS layer). */
typedef struct wp_dnstcp_hdr {
    uint16_t length;
} wp_dnstcp_hdr;

typedef struct wp_esp_hdr {
    uint32_t spi, seq;
} wp_esp_hdr;

typedef struct wp_igmp_hdr {
    uint8_t type, max_resp;
    uint16_t checksum;
    uint8_t group[4];
} wp_igmp_hdr;

/* Tunnels (issue 20). */
typedef struct wp_geneve_hdr {
    uint8_t version;
    uint8_t opt_len;    /* the options' length in 4-byte words */
    uint8_t o, c;       /* OAM frame; critical options present */
    uint16_t protocol;  /* an EtherType (0x6558: Ethernet) */
    uint32_t vni;       /* 24 bits */
} wp_geneve_hdr;

typedef struct wp_geneve_opt_hdr {
    uint16_t opt_class;
    uint8_t type;       /* its high bit: critical */
    uint8_t length;     /* the data's length in 4-byte words (5 bits) */
} wp_geneve_opt_hdr;

typedef struct wp_gtpu_hdr {
    uint8_t flags;      /* version (3 bits), PT, spare, E, S, PN */
    uint8_t version, pt, e, s, pn;
    uint8_t type;       /* message type: 255 is a T-PDU (user data) */
    uint16_t length;    /* bytes after the first 8 */
    uint32_t teid;
    uint16_t seq;       /* when E, S or PN: the next 4 bytes are there */
    uint8_t npdu, next_ext;
    uint8_t has_opt;    /* the seq/N-PDU/next-extension word is present */
} wp_gtpu_hdr;

typedef struct wp_l2tp_hdr {
    uint16_t flags;     /* the first 16 bits but the version: T 0x8000, L 0x4000,
                           S 0x0800, O 0x0200, P 0x0100 */
    uint8_t version;    /* 2 (RFC 2661) or 3 (RFC 3931) */
    uint16_t length;    /* when L */
    uint32_t tunnel_id; /* v2: 16 bits; v3 control: the control connection id */
    uint32_t session_id; /* v2: 16 bits; v3 data: 32 bits */
    uint16_t ns, nr;    /* when S (v2), or a v3 control message */
    uint16_t offset;    /* v2 when O: the offset size */
} wp_l2tp_hdr;

typedef struct wp_erspan_hdr {
    uint8_t version;    /* 1: type II, 2: type III */
    uint16_t vlan;
    uint8_t cos, encap, t; /* encap: type II's En; type III's BSO */
    uint16_t session_id; /* 10 bits */
    uint32_t index;     /* type II: 20 bits */
    uint32_t timestamp; /* type III */
    uint16_t sgt;       /* type III from here */
    uint8_t p, ft, hw, d, gra, o;
} wp_erspan_hdr;

typedef struct wp_pbb_hdr {
    uint8_t pcp, dei, uca;
    uint32_t isid;      /* 24 bits */
} wp_pbb_hdr;

/* A run of text in the frame (an HTTP method, a TLS server name): kept as
 * the frame offset of its first byte and its length, never copied into the
 * layer. off 0 means absent (no application layer starts at byte 0). */
typedef struct wp_text {
    uint32_t off, len;
} wp_text;

/* HTTP/1.x: the start line's parts and the header lines (in wp_packet.opts:
 * one wp_opt per header line, see src/proto/http.c). A request's method and
 * target share their room with a response's status and reason (the union
 * keeps the layer small; the field table's present() picks the pair). */
typedef struct wp_http_hdr {
    wp_text version;
    union {
        struct {
            wp_text method, uri; /* request line */
        };
        struct {
            wp_text status, reason; /* status line; status: 3 digits */
        };
    };
    uint8_t response;     /* 1: a status line */
    uint16_t status_code; /* the status digits' value */
    uint16_t nheaders;    /* header lines decoded (also in opt_count) */
} wp_http_hdr;

/* One TLS record's header; for a Handshake record, the first message's type,
 * and for a ClientHello, its server_name (SNI). */
typedef struct wp_tls_hdr {
    uint8_t content_type;   /* 20 ChangeCipherSpec, 21 Alert, 22 Handshake, 23 Data */
    uint16_t version;       /* 0x0303: TLS 1.2 (and 1.3's records) */
    uint16_t length;        /* the record's fragment length */
    uint8_t handshake_type; /* when has_handshake: 1 ClientHello, 2 ServerHello, ... */
    uint8_t has_handshake;  /* a plaintext handshake message header was read */
    wp_text sni;            /* the first host_name of the server_name extension */
} wp_tls_hdr;

/* SCTP common header; the chunks are the layer's options (wp_opt: kind =
 * chunk type, len = chunk length, v[0] = flags; DATA: v[1] TSN, v[2]
 * stream id, v[3] stream sequence, v[4] PPID). */
typedef struct wp_sctp_hdr {
    uint16_t sport, dport;
    uint32_t vtag;
    uint32_t checksum;  /* CRC32c, as the bytes read big-endian */
} wp_sctp_hdr;

/* Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control, EtherType. */
typedef struct wp_chdlc_hdr {
    uint8_t address, control;
    uint16_t protocol;
} wp_chdlc_hdr;

/* NFLOG: the 4-byte header (big-endian resource id); the TLVs, whose length
 * and type are little-endian (host order of the logging machine, written
 * as LE by libpcap), are the layer's options (kind = type, len = length;
 * packet_hdr: v[0] = hardware protocol, v[1] = hook). */
typedef struct wp_nflog_hdr {
    uint8_t family, version;
    uint16_t resource_id;
} wp_nflog_hdr;

/* The names of the TCP flag bits, lowest first ("FIN" for bit 0 ... "AE"
 * for bit 8), as Wireshark lists them; NUL-padded to 4 bytes. The one copy
 * that the flags field's text and the summary line both use. */
#define WP_TCP_NFLAGS 9
extern const char wp_tcp_flag_names[WP_TCP_NFLAGS][4];

/* Layer flags */
#define WP_LF_TRUNCATED 0x01 /* the capture ends inside this header */
#define WP_LF_QUOTED    0x02 /* inside an ICMP error: a quote of another packet */
#define WP_LF_FRAGMENT  0x04 /* carried by a fragment: lengths and checksums partial */
#define WP_LF_LITTLE_ENDIAN 0x08 /* multi-byte fields are little-endian (DLT_NULL's family) */

typedef struct wp_layer {
    uint8_t proto;          /* wp_proto */
    uint8_t flags;          /* WP_LF_* */
    uint8_t csum;           /* wp_csum */
    uint8_t depth;          /* nesting depth: 0 for the link layer */
    uint32_t csum_computed; /* the checksum the bytes call for (when bad or good;
                               32 bits for SCTP's CRC32c) */
    uint16_t opt_first;     /* index into wp_packet.opts */
    uint16_t opt_count;
    uint32_t off;           /* offset of the first byte in the frame */
    uint32_t hdr_len;       /* header bytes (incl. options); data layers: 0 */
    uint32_t len;           /* header + payload as this layer's length fields
                               say; data layers: their byte count */
    uint32_t avail_end;     /* end of the bytes this layer could read: the
                               captured end clipped to its container's */
    union {
        wp_eth_hdr eth;
        wp_vlan_hdr vlan;
        wp_sll_hdr sll;
        wp_null_hdr null;
        wp_arp_hdr arp;
        wp_ipv4_hdr ipv4;
        wp_ipv6_hdr ipv6;
        wp_ipv6_ext_hdr ext;
        wp_icmp_hdr icmp;
        wp_udp_hdr udp;
        wp_tcp_hdr tcp;
        wp_gre_hdr gre;
        wp_vxlan_hdr vxlan;
        wp_mpls_hdr mpls;
        wp_dns_hdr dns;
        wp_pppoe_hdr pppoe;
        wp_ppp_hdr ppp;
        wp_ah_hdr ah;
        wp_esp_hdr esp;
        wp_igmp_hdr igmp;
        wp_geneve_hdr geneve;
        wp_geneve_opt_hdr geneve_opt;
        wp_gtpu_hdr gtpu;
        wp_l2tp_hdr l2tp;
        wp_erspan_hdr erspan;
        wp_pbb_hdr pbb;
        wp_http_hdr http;
        wp_tls_hdr tls;
        wp_sctp_hdr sctp;
        wp_chdlc_hdr chdlc;
        wp_nflog_hdr nflog;
        wp_dnstcp_hdr dnstcp;
    } h;
} wp_layer;

/* Event kinds: truncated is kept apart from invalid. */
typedef enum wp_event_kind {
    WP_EV_TRUNCATED = 1, /* the capture ends before the header does */
    WP_EV_INVALID,       /* the header contradicts itself or its container */
    WP_EV_CHECKSUM,      /* a checksum does not match */
    WP_EV_NOTE,          /* worth saying, not wrong */
} wp_event_kind;

/* A stable event code ("ipv4.ihl_invalid") and its one-line English text.
 * Defined once as a static const in the decoder that raises it. When rel is
 * not NULL the renderers print the event's two values as "val rel ref",
 * e.g. rel " > " gives "(1500 > 60)". */
typedef struct wp_event_def {
    const char *code;
    const char *text;
    uint8_t kind;        /* wp_event_kind */
    const char *rel;
} wp_event_def;

typedef struct wp_event {
    const wp_event_def *def;
    uint8_t layer;      /* index of the layer it concerns */
    uint32_t val, ref;
} wp_event;

/* What a capture source hands over: one frame. data is borrowed. */
typedef struct wp_frame {
    int64_t ts_sec;
    uint32_t ts_nsec;
    uint32_t caplen;    /* bytes in data */
    uint32_t len;       /* bytes on the wire */
    int linktype;       /* LINKTYPE_* */
    const uint8_t *data;
} wp_frame;

struct wp_decode_opts;

typedef struct wp_packet {
    const uint8_t *data; /* the frame's bytes (borrowed) */
    const struct wp_decode_opts *dopts; /* wp_decode_with's options while it
                                           runs (NULL: none); then NULL */
    uint32_t caplen, len;
    int linktype;
    int64_t ts_sec;
    uint32_t ts_nsec;
    uint16_t nlayers, nevents, nopts;
    uint8_t layer_cap_hit;
    uint8_t events_dropped; /* more than WP_MAX_EVENTS were raised: some are missing */
    wp_layer layers[WP_MAX_LAYERS];
    wp_event events[WP_MAX_EVENTS];
    wp_opt opts[WP_MAX_OPTS];
} wp_packet;

/* ---- field tables ---------------------------------------------------- */

typedef enum wp_field_kind {
    WP_FK_UINT = 1, /* unsigned number (JSON number) */
    WP_FK_BOOL,     /* one bit (JSON true/false) */
    WP_FK_MAC,      /* 6 bytes, lowercase colon hex */
    WP_FK_IPV4,     /* 4 bytes, dotted quad */
    WP_FK_IPV6,     /* 16 bytes, RFC 5952 */
    WP_FK_HEX,      /* bytes shown as hex (e.g. an SLL address of halen bytes) */
    WP_FK_OPTIONS,  /* the layer's option list (IPv4, TCP): from off to hdr_len */
    WP_FK_TEXT,     /* a wp_text in the header struct: bytes of the frame, shown as text */
} wp_field_kind;

/* Describes one header field; tables name their members (designated
 * initialisers), so a member left out is 0 or NULL. off/width give the bytes that hold it,
 * relative to the layer's first byte; mask/shift pick its bits out of those
 * bytes read as one big-endian number (mask 0: all of them). fmt is the
 * Python struct code of the unit that holds it ('B','H','I','Q','s'). The
 * decoded host-order value lives at soff in the layer's header union, ssize
 * bytes wide (1, 2, 4 or 8 for numbers; the byte count for addresses). */
typedef struct wp_field {
    const char *name;   /* JSON key */
    const char *title;  /* for people */
    uint16_t off;
    uint16_t width;
    uint32_t mask;
    uint8_t shift;
    uint8_t mult;       /* derived value = value × mult (IHL × 4); 0: none */
    char fmt;
    uint8_t kind;       /* wp_field_kind */
    uint8_t hex;        /* show the number in hex (0x0800) */
    uint16_t soff;
    uint8_t ssize;
    uint8_t flags;      /* WP_FF_* */
    /* NULL, or whether this layer has the field (ICMP echo id/seq, ...) */
    int (*present)(const wp_layer *l);
    /* NULL, or a name for the value ("IPv4", "[SYN, ACK]"): writes at most n
     * bytes (NUL included) into buf and returns buf, or NULL for no name */
    const char *(*describe)(uint64_t v, char *buf, size_t n);
} wp_field;

/* Field flags */
#define WP_FF_CHECKSUM 0x01 /* the header's checksum: shown with the layer's status */
#define WP_FF_DIGITS 0x02   /* TEXT of ASCII digits only: JSON writes it as a number */

/* Static facts about a header kind. */
typedef struct wp_proto_info {
    const char *name;       /* "ipv4": JSON proto, event prefix */
    const char *title;      /* "Internet Protocol version 4" */
    const char *short_name; /* "IPv4" for summaries and boxes */
    const wp_field *fields;
    size_t nfields;
} wp_proto_info;

/* Facts about proto p; an out-of-range p gives the "none" entry. */
const wp_proto_info *wp_proto_get(unsigned p);

/* The field's value as a host-order number (numbers and bools), read from the
 * layer's decoded header; 0 for address kinds (and for a size that is not
 * 1, 2, 4 or 8). Inline, as is wp_field_shown(): every renderer calls both
 * per field (C11 inline definitions; the external ones are in packet.c). */
inline uint64_t wp_field_uint(const wp_layer *l, const wp_field *f)
{
    if (f->kind != WP_FK_UINT && f->kind != WP_FK_BOOL)
        return 0;
    /* The value lives in a host-order integer member of the header struct;
     * copy it out by its size rather than casting the pointer. */
    const unsigned char *base = (const unsigned char *)&l->h + f->soff;
    switch (f->ssize) {
    case 1:
        return base[0];
    case 2: {
        uint16_t v;
        memcpy(&v, base, 2);
        return v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, base, 4);
        return v;
    }
    case 8: {
        uint64_t v;
        memcpy(&v, base, 8);
        return v;
    }
    default:
        return 0;
    }
}

/* The field's decoded bytes (address kinds) or NULL. */
const uint8_t *wp_field_bytes(const wp_layer *l, const wp_field *f);

/* A TEXT field's bytes in p's frame and, in *len, how many of them were
 * captured (at most the decoder's length); NULL (and *len 0) for another
 * kind or an absent text. */
const uint8_t *wp_field_text(const wp_packet *p, const wp_layer *l, const wp_field *f,
                             uint32_t *len);

/* Whether packet p shows field f of layer l: the layer has it and every byte
 * of it was captured (a cut header never shows a value read past the end).
 * Returns 1 or 0. An OPTIONS field shows only when the layer has options and
 * header bytes after f->off. Bytes past the layer's container (avail_end,
 * when set: e.g. Ethernet padding after an ICMP quote) are not this
 * header's, however many were captured. */
inline int wp_field_shown(const wp_packet *p, const wp_layer *l, const wp_field *f)
{
    uint32_t end = l->avail_end && l->avail_end < p->caplen ? l->avail_end : p->caplen;
    uint32_t off = l->off + f->off;
    uint32_t len = f->width;
    if (f->kind == WP_FK_OPTIONS) {
        if (l->hdr_len <= f->off || l->opt_count == 0)
            return 0;
        /* The options read whole are shown even when the capture cut the
         * option area after them (the decoder keeps only whole ones): the
         * span is what was captured of it. */
        len = l->hdr_len - f->off;
        if (off < end && len > end - off)
            len = end - off;
    } else if (f->kind == WP_FK_TEXT) {
        /* the span is the decoder's: a wp_text at soff (off 0: absent) */
        wp_text t;
        memcpy(&t, (const unsigned char *)&l->h + f->soff, sizeof t);
        if (t.off == 0)
            return 0;
        off = t.off;
        len = t.len;
    }
    if (off > end || len > end - off)
        return 0;
    /* present() is a pure test of the layer: asked last, only for a field
     * whose bytes are all there, so the common field makes no call. */
    return !f->present || f->present(l) != 0;
}

/* The span of f in the frame: *off and *len (OPTIONS: up to the header end,
 * or to the captured end of the layer when the capture cut the header;
 * TEXT: the decoder's wp_text). */
void wp_field_span(const wp_layer *l, const wp_field *f, uint32_t *off, uint32_t *len);

/* A libpcap-style name for a link type ("EN10MB"), or NULL if unknown. */
const char *wp_linktype_name(int linktype);

/* Name of a checksum status ("good"), or NULL for WP_CSUM_NA. */
const char *wp_csum_name(unsigned c);

/* The same name for a renderer: its length (0 for WP_CSUM_NA or a status
 * out of range), with *text at the name, of which WP_CSUM_TEXT bytes may be
 * read (the name, then NULs), so that one fixed-size copy writes any. */
#define WP_CSUM_TEXT 16
size_t wp_csum_text(unsigned c, const char **text);

/* What code means for an ICMP (proto WP_PROTO_ICMP) or ICMPv6 message of
 * type ("port unreachable"), or NULL when the type defines no such code. */
const char *wp_icmp_code_name(unsigned proto, unsigned type, unsigned code);

/* The bytes option o of layer l covers in the frame: an HTTP header line
 * keeps its length in v[3] (longer than the 8-bit len); an option its length
 * byte, 1 for EOL and NOP. */
static inline uint32_t wp_opt_extent(const wp_layer *l, const wp_opt *o)
{
    if (l->proto == WP_PROTO_HTTP)
        return o->nv >= 4 ? o->v[3] : 0;
    return o->len ? o->len : 1;
}

/* DNS (src/proto/dns.c). wp_dns_name: the name at frame offset name_off of
 * the DNS message that layer l (WP_PROTO_DNS) decoded, expanded through its
 * compression pointers with the decoder's checks into buf (n bytes, NUL
 * included) as text ("www.example.com", "<Root>"; bytes outside printable
 * ASCII, '.' and '\\' as \DDD). A name that cannot be read ends in a marker
 * ("<loop>", "<cut>", ...); one cut to n ends in "...". Returns buf.
 * wp_dns_type_name / wp_dns_class_name: "AAAA", "IN", or NULL. */
const char *wp_dns_name(const wp_packet *p, const wp_layer *l, uint32_t name_off, char *buf,
                        size_t n);
const char *wp_dns_type_name(unsigned type);
const char *wp_dns_class_name(unsigned cls);

/* Name of an option of a layer of proto p ("mss", "timestamp", "rr"). */
const char *wp_opt_name(unsigned proto, unsigned kind);

#endif
