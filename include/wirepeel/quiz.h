/* wirepeel — quiz: questions drawn from a capture, answered by wirepeel.
 *
 * wp_quiz_build() decodes a loaded capture, follows its conversations and
 * draws questions by a seeded PRNG of its own (same capture, seed, count and
 * types: same quiz). Every answer comes from the decoder, the field tables,
 * the conversation tracker or the diagram model; every question carries the
 * explanation a wrong answer gets (bytes, conversion, arithmetic, struct
 * recipe), three staged hints (layer, field, offset) and the classic
 * mistakes it recognises (relative vs raw seq, IHL not ×4, fragment offset
 * not ×8, total length taken for payload length) with a targeted reason.
 * wp_quiz_grade() accepts equivalent forms (64, 0x40, 0x0040, "20 bytes";
 * addresses; flag names). No curses and no printing here: the CLI and the
 * view both use it. */
#ifndef WIREPEEL_QUIZ_H
#define WIREPEEL_QUIZ_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"
#include "wirepeel/render.h"

typedef enum wp_quiz_type {
    WP_QT_VALUE = 0, /* a field's value */
    WP_QT_LOCATE,    /* a field's byte offset in the frame, or its bit range in
                        its header; which layer owns byte N */
    WP_QT_DERIVE,    /* header length from IHL, payload length, fragment bytes, next seq */
    WP_QT_CHECKSUM,  /* a step of the IPv4 header checksum, or of the UDP/TCP
                        checksum over the pseudo-header */
    WP_QT_RELATE,    /* which frame answers this one (ICMP echo, UDP, DNS) or
                        acknowledges it (TCP), or none; which frames are the
                        fragments of one datagram */
    WP_QT_CLASSIFY,  /* handshake step; teardown step and RST; retransmission,
                        out-of-order, dup ACK */
    WP_QT_BLANK,     /* the field blanked at a bit range of the header diagram
                        (drawn, the cell to fill marked: wp_quiz_draw) */
    WP_QT_PREDICT,   /* the next packet's acknowledgment number, sequence
                        number or flags */
    WP_QT_COUNT
} wp_quiz_type;

/* How an answer is compared. */
typedef enum wp_quiz_akind {
    WP_QA_NUM = 0, /* a number: decimal, 0x hex, 0b binary, optional unit word */
    WP_QA_TEXT,    /* one of the '|'-separated forms in accept[], compared
                      case-, space- and punctuation-blind; addresses by value */
    WP_QA_FRAME,   /* a frame number, or "none" (num 0) */
    WP_QA_FRAMES,  /* a set of frame numbers, in any order, separated by
                      commas or spaces; answer[] lists them */
    WP_QA_BITS,    /* a bit range of a header, bit 0 the first (most
                      significant) bit of its byte 0: "bits 4-7", "bits
                      4..7", "bit 9", "bits 4-7 of byte 0"; num is
                      first << 16 | last (mistakes the same way) */
    WP_QA_FLAGS,   /* TCP flag names in any order ("SYN, ACK", "ack+syn"),
                      or their value (0x012); num is the flag bits */
} wp_quiz_akind;

#define WP_QUIZ_MAX 100
#define WP_QUIZ_MAX_MISTAKES 3

typedef struct wp_quiz_mistake {
    uint64_t val;    /* the wrong number this mistake gives (form empty) */
    char form[48];   /* or a wrong answer that is no number ("first FIN",
                        "10.0.0.1", "no"): compared as TEXT answers are */
    char why[200];   /* what went wrong, with the right arithmetic */
} wp_quiz_mistake;

typedef struct wp_quiz_q {
    uint8_t type;       /* wp_quiz_type */
    uint8_t akind;      /* wp_quiz_akind */
    uint8_t nmist;
    uint8_t draw;       /* BLANK: the question comes with the diagram of layer
                           index `layer`, the cell at bit `dbit` marked */
    uint8_t layer;
    uint32_t dbit;
    uint64_t frame;     /* the frame asked about (1-based) */
    uint64_t num;       /* NUM, FRAME: the answer */
    char text[320];     /* the question */
    char answer[64];    /* the expected answer, in a form the grader accepts */
    char accept[160];   /* TEXT: every accepted form, '|'-separated */
    char explain[640];  /* why the answer is what it is: bytes, conversion, recipe */
    char hint[3][160];  /* layer, then field, then offset */
    char review[80];    /* the topic to review after a wrong answer */
    char ref[64];       /* what an oracle recomputes ("ipv4.ttl", "tcp.ack@5", ...) */
    wp_quiz_mistake mist[WP_QUIZ_MAX_MISTAKES];
} wp_quiz_q;

typedef struct wp_quiz {
    size_t n;
    wp_quiz_q q[WP_QUIZ_MAX];
} wp_quiz;

/* The PRNG (splitmix64): advances *state and returns the next value. The
 * same seed always gives the same sequence, on every platform. */
uint64_t wp_quiz_rand(uint64_t *state);

/* Name of type t ("value", "locate", ...), or NULL out of range. */
const char *wp_quiz_type_name(unsigned t);

/* Parse a comma-separated list of type names ("value,derive"; "all") into a
 * bit mask of (1u << wp_quiz_type). Returns the mask, or 0 for an empty list
 * or an unknown name. */
unsigned wp_quiz_types_parse(const char *list);

/* Draw up to count questions (at most WP_QUIZ_MAX) of the types in the mask
 * types from the nframes frames (file order, frame 1 first) into *qz.
 * only_frame 0 draws from every frame; N asks about frame N alone (the view's
 * quiz). The seed fixes the draw. Allocates only during the call (one
 * packet and one annotation per frame). Returns the number of questions
 * (fewer than count when the capture cannot supply more distinct ones, 0 for
 * none), or -1 when memory runs out. */
int wp_quiz_build(const wp_frame *frames, size_t nframes, uint64_t seed, unsigned count,
                  unsigned types, uint64_t only_frame, wp_quiz *qz);

/* wp_quiz_build drawing only frames first..last (1-based, last clipped to
 * nframes) of the capture, the rest of it still followed as conversations:
 * a quiz on the handshake of a longer capture. Returns as wp_quiz_build;
 * 0 for an empty range. */
int wp_quiz_build_range(const wp_frame *frames, size_t nframes, uint64_t seed, unsigned count,
                        unsigned types, uint64_t first, uint64_t last, wp_quiz *qz);

/* The view's quiz: up to count questions on the one frame f, numbered
 * frame_no (1 or more), with no conversation around it, so of the types
 * value, locate, derive (not the next sequence number), checksum and blank.
 * Returns the number of questions (0 for frame_no 0 or a frame with nothing
 * to ask), or -1 when memory runs out. */
int wp_quiz_build_frame(const wp_frame *f, uint64_t frame_no, uint64_t seed, unsigned count,
                        wp_quiz *qz);

/* Draw what question q shows besides its text: for a blanked-field
 * question (q->draw), the text diagram of its header with every value left
 * out and the cell to fill marked '?', from frame f (the frame q->frame
 * names). Writes into s and returns the number of lines written; 0 when q
 * draws nothing, f does not decode to the layer, or memory runs out. */
size_t wp_quiz_draw(const wp_quiz_q *q, const wp_frame *f, wp_sink *s);

typedef enum wp_quiz_verdict {
    WP_QV_RIGHT = 0,
    WP_QV_WRONG,   /* wrong, no known mistake */
    WP_QV_MISTAKE, /* wrong by a known classic mistake: *why says which */
    WP_QV_EMPTY,   /* nothing readable was given */
} wp_quiz_verdict;

/* Grade answer ans (one line; surrounding spaces ignored) against q. Returns
 * a wp_quiz_verdict; for WP_QV_MISTAKE *why (when why is not NULL) points at
 * the mistake's reason inside q, otherwise it is set to NULL. */
int wp_quiz_grade(const wp_quiz_q *q, const char *ans, const char **why);

/* ---- lesson packs --------------------------------------------------------
 * A plain-text file, one directive a line ('#' starts a comment line):
 *   capture PATH        the capture (relative to the pack's folder)
 *   seed N              the draw's seed (default 1)
 *   frames A-B          the draw lines after it ask about frames A..B only
 *                       (or one frame A; default every frame)
 *   draw N TYPES        N questions drawn of the comma-separated TYPES
 *   ask FRAME TEXT      a question written by hand, about frame FRAME
 *   answer FORM|FORM    its accepted answers (a number accepts 64, 0x40, ...)
 *   wrong FORM TEXT     a wrong answer that gets TEXT as its feedback: FORM
 *                       is one word (a number compares by value, anything
 *                       else as TEXT answers do) or a "quoted phrase"
 *   explain TEXT        what any other wrong answer is shown
 *   review TEXT         the topic to list when it was missed
 * ask ... review belong to the last ask. The drawn questions come first, in
 * the pack's order of draw lines, then the written ones. */
#define WP_QUIZ_PACK_DRAWS 16
typedef struct wp_quiz_pack {
    char capture[512];  /* the path, already joined to the pack's folder */
    uint64_t seed;
    unsigned ndraw;
    unsigned draw_count[WP_QUIZ_PACK_DRAWS];
    unsigned draw_types[WP_QUIZ_PACK_DRAWS];
    uint64_t draw_first[WP_QUIZ_PACK_DRAWS]; /* the frames each draw asks about */
    uint64_t draw_last[WP_QUIZ_PACK_DRAWS];  /* (UINT64_MAX: to the end) */
    wp_quiz written;    /* the hand-written questions (answers as given) */
} wp_quiz_pack;

/* Read the pack at path into *pk. Returns 0, or -1 with a one-line reason
 * naming the file and line in err (errlen bytes) for an unreadable file, an
 * unknown directive, a bad number or type list, an answer without a
 * question, a question without an answer, or no capture line. */
int wp_quiz_pack_load(const char *path, wp_quiz_pack *pk, char *err, size_t errlen);

/* Build the pack's quiz from the frames of its capture into *qz: each draw
 * line's questions (seeded by the pack's seed and the line's place), then
 * the written ones (their frame must exist). Returns the number of
 * questions, or -1 when memory runs out. */
int wp_quiz_pack_build(const wp_quiz_pack *pk, const wp_frame *frames, size_t nframes, wp_quiz *qz);

#endif
