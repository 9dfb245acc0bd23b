/* Internal: the conversation annotations in the outputs (flow_out.c). */
#ifndef WP_RENDER_FLOW_OUT_H
#define WP_RENDER_FLOW_OUT_H

#include <stdint.h>

#include "wirepeel/flow.h"
#include "wirepeel/render.h"

/* " [retransmission]" and " reply to #3 0.210 ms", as they apply */
void wp_flow_out_summary_tail(wp_sink *s, const wp_flow_ann *a);
/* the Conversation block of -o layers (nothing for kind WP_FLOW_NONE) */
void wp_flow_out_layers(wp_sink *s, const wp_flow_ann *a);
/* ,"flow":{...} (nothing for kind WP_FLOW_NONE) */
void wp_flow_out_json(wp_sink *s, const wp_flow_ann *a);
/* the -o fields rows "N\t-:flow\tNAME\t-\t-\t-\tVALUE" */
void wp_flow_out_fields(wp_sink *s, uint64_t no, const wp_flow_ann *a);

#endif
