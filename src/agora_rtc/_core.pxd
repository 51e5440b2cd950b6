# cython: language_level=3
"""C declarations of the Agora C API (from include/agora_c/) and the dispatch table."""

from libc.stdint cimport int16_t, int32_t, int64_t, uint8_t, uint32_t, uint64_t

cdef extern from "agora_c/agora_base.h":
    ctypedef void* AGORA_HANDLE
    ctypedef const char* user_id_t
    ctypedef unsigned int conn_id_t

cdef extern from "agora_c/agora_service.h":
    ctypedef struct agora_service_config:
        int enable_audio_processor
        int enable_audio_device
        int enable_video
        void* context
        const char* app_id
        unsigned int area_code
        int channel_profile
        int audio_scenario
        int use_string_uid
        int domain_limit
        int log_level
        const char* log_file_path
        uint32_t log_file_size_kb
        const char* data_dir
        const char* config_dir

cdef extern from "agora_c/agora_rtc_conn.h":
    ctypedef struct rtc_conn_info:
        conn_id_t id
        const char* channel_id
        int state
        const char* local_user_id
        unsigned int internal_uid

    ctypedef struct audio_subscription_options:
        int packet_only
        int pcm_data_only
        uint32_t bytes_per_sample
        uint32_t number_of_channels
        uint32_t sample_rate_hz

    ctypedef struct rtc_conn_config:
        int auto_subscribe_audio
        int auto_subscribe_video
        int enable_audio_recording_or_playout
        int max_send_bitrate
        int min_port
        int max_port
        audio_subscription_options audio_subs_options
        int client_role_type
        int channel_profile
        int audio_recv_media_packet
        int audio_recv_encoded_frame
        int video_recv_media_packet

    ctypedef struct client_role_options:
        int audience_latency_level
    ctypedef struct rtc_conn_observer:
        void (*on_connected)(AGORA_HANDLE, const rtc_conn_info*, int) noexcept nogil
        void (*on_disconnected)(AGORA_HANDLE, const rtc_conn_info*, int) noexcept nogil
        void (*on_connecting)(AGORA_HANDLE, const rtc_conn_info*, int) noexcept nogil
        void (*on_reconnecting)(AGORA_HANDLE, const rtc_conn_info*, int) noexcept nogil
        void (*on_reconnected)(AGORA_HANDLE, const rtc_conn_info*, int) noexcept nogil
        void (*on_connection_lost)(AGORA_HANDLE, const rtc_conn_info*) noexcept nogil
        void (*on_connection_failure)(AGORA_HANDLE, const rtc_conn_info*, int) noexcept nogil
        void (*on_user_joined)(AGORA_HANDLE, user_id_t) noexcept nogil
        void (*on_user_left)(AGORA_HANDLE, user_id_t, int) noexcept nogil
        void (*on_token_privilege_will_expire)(AGORA_HANDLE, const char*) noexcept nogil
        void (*on_token_privilege_did_expire)(AGORA_HANDLE) noexcept nogil
        void (*on_stream_message_error)(AGORA_HANDLE, user_id_t, int, int, int, int) noexcept nogil
        void (*on_encryption_error)(AGORA_HANDLE, int) noexcept nogil
        void (*on_transport_stats)(AGORA_HANDLE, const rtc_stats*) noexcept nogil
        void (*on_change_role_success)(AGORA_HANDLE, int, int, const client_role_options*) noexcept nogil
        void (*on_user_network_quality)(AGORA_HANDLE, user_id_t, int, int) noexcept nogil
        void (*on_network_type_changed)(AGORA_HANDLE, int) noexcept nogil
        # other slots stay NULL (memset) until their features land

cdef extern from "agora_c/agora_base.h":
    ctypedef struct audio_sink_wants:
        int samples_per_sec
        uint32_t channels
    ctypedef struct audio_label:
        int far_field_flag, rms, voice_prob, music_prob, pitch
    ctypedef struct audio_pcm_frame:
        uint32_t capture_timestamp, samples_per_channel
        int sample_rate_hz
        uint32_t num_channels, bytes_per_sample
        int16_t data[3840]
        audio_label audio_label
    ctypedef struct audio_sink:
        int (*on_audio_sink_data)(AGORA_HANDLE, const audio_pcm_frame*) noexcept nogil
        void* user_data

cdef extern from "agora_c/agora_media_base.h":
    ctypedef struct audio_frame:
        int type
        int samples_per_channel
        int bytes_per_sample
        int channels
        int samples_per_sec
        void* buffer
        int64_t render_time_ms
        int avsync_type
        int64_t presentation_ms
        int audio_track_number
        uint32_t rtp_timestamp
        int far_field_flag
        int rms
        int voice_prob
        int music_prob
        int pitch

    ctypedef struct audio_frame_observer:
        int (*on_record_audio_frame)(AGORA_HANDLE, const char*, const audio_frame*) noexcept nogil
        int (*on_playback_audio_frame)(AGORA_HANDLE, const char*, const audio_frame*) noexcept nogil
        int (*on_mixed_audio_frame)(AGORA_HANDLE, const char*, const audio_frame*) noexcept nogil
        int (*on_playback_audio_frame_before_mixing)(AGORA_HANDLE, const char*, user_id_t, const audio_frame*) noexcept nogil

cdef extern from "<stdbool.h>":
    ctypedef bint c_bool "bool"  # C's bool (one byte), not Python's

cdef extern from "agora_c/agora_base.h":
    ctypedef struct audio_volume_info:
        user_id_t user_id
        unsigned int volume
        unsigned int vad
        double voice_pitch

cdef extern from "agora_c/agora_base.h":
    ctypedef unsigned int uid_t
    ctypedef struct remote_video_stream_info:
        uid_t uid
        uint8_t stream_type, current_downscale_level, total_downscale_level_counts
    ctypedef struct video_dimensions:
        int width
        int height
    ctypedef struct video_encoder_config:
        int codec_type
        video_dimensions dimensions
        int frame_rate
        int bitrate
        int min_bitrate
        int orientation_mode
        int degradation_preference
        int mirror_mode
        int encode_alpha
    ctypedef struct simulcast_stream_config:
        video_dimensions dimensions
        int bitrate
        int framerate
    ctypedef struct encoded_video_frame_info:
        int codec_type
        int width
        int height
        int frames_per_second
        int frame_type
        int rotation
        int track_id
        int64_t capture_time_ms
        int64_t decode_time_ms
        uid_t uid
        int stream_type
    ctypedef struct video_track_info:
        int is_local
        uid_t owner_uid
        unsigned int track_id
        const char* channel_id
        int stream_type
        int codec_type
        int encoded_frame_only
        int source_type
        uint32_t observation_position
    ctypedef struct video_subscription_options:
        int type
        int encoded_frame_only

cdef extern from "agora_c/agora_service.h":
    ctypedef struct sender_options:
        int cc_mode
        int codec_type
        int target_bitrate

cdef extern from "agora_c/agora_media_base.h":
    ctypedef struct color_space_type:
        int primaries_id
        int transfer_id
        int matrix_id
        int range_id
    ctypedef struct external_video_frame:
        int type
        int format
        void* buffer
        int stride
        int height
        int crop_left
        int crop_top
        int crop_right
        int crop_bottom
        int rotation
        long long timestamp
        void* egl_context
        int egl_type
        int texture_id
        float matrix[16]
        uint8_t* metadata_buffer
        int metadata_size
        void* alpha_buffer
        uint8_t fill_alpha_buffer
        int alpha_mode
        color_space_type color_space
    ctypedef struct video_frame:
        int type
        int width
        int height
        int y_stride
        int u_stride
        int v_stride
        uint8_t* y_buffer
        uint8_t* u_buffer
        uint8_t* v_buffer
        int rotation
        int64_t render_time_ms
        int avsync_type
        uint8_t* metadata_buffer
        int metadata_size
        void* shared_context
        int texture_id
        float matrix[16]
        uint8_t* alpha_buffer
        int alpha_mode
    ctypedef struct video_frame_observer2:
        void (*on_frame)(AGORA_HANDLE, const char*, user_id_t, const video_frame*) noexcept nogil
    ctypedef struct video_encoded_frame_observer:
        int (*on_encoded_video_frame)(AGORA_HANDLE, uid_t, const uint8_t*, size_t, const encoded_video_frame_info*) noexcept nogil

cdef extern from "agora_c/agora_base.h":
    ctypedef struct rtc_stats:
        unsigned int connection_id, duration, tx_bytes, rx_bytes, tx_audio_bytes, tx_video_bytes
        unsigned int rx_audio_bytes, rx_video_bytes
        unsigned short tx_k_bit_rate, rx_k_bit_rate, rx_audio_k_bit_rate, tx_audio_k_bit_rate
        unsigned short rx_video_k_bit_rate, tx_video_k_bit_rate, lastmile_delay
        unsigned int user_count
        double cpu_app_usage, cpu_total_usage
        int gateway_rtt
        double memory_app_usage_ratio, memory_total_usage_ratio
        int memory_app_usage_in_kbytes, connect_time_ms, first_audio_packet_duration, first_video_packet_duration
        int first_video_key_frame_packet_duration, packets_before_first_key_frame_packet
        int first_audio_packet_duration_after_unmute, first_video_packet_duration_after_unmute
        int first_video_key_frame_packet_duration_after_unmute, first_video_key_frame_decoded_duration_after_unmute
        int first_video_key_frame_rendered_duration_after_unmute, tx_packet_loss_rate, rx_packet_loss_rate
    ctypedef struct ana_stats:
        uint32_t bitrate_action_counter, channel_action_counter, dtx_action_counter, fec_action_counter
        uint32_t frame_length_increase_counter, frame_length_decrease_counter
        float uplink_packet_loss_fraction
    ctypedef struct audio_processing_stats:
        double echo_return_loss, echo_return_loss_enhancement, divergent_filter_fraction
        int32_t delay_median_ms, delay_standard_deviation_ms
        double residual_echo_likelihood, residual_echo_likelihood_recent_max
        int32_t delay_ms
    ctypedef struct local_audio_detailed_stats:
        uint32_t local_ssrc
        int64_t bytes_sent
        int32_t packets_sent, packets_lost
        float fraction_lost
        char codec_name[100]
        int codec_payload_type
        int32_t ext_seqnum, jitter_ms
        int64_t rtt_ms
        int32_t audio_level
        double total_input_energy, total_input_duration
        int typing_noise_detected
        ana_stats ana_statistics
        audio_processing_stats apm_statistics
    ctypedef struct local_audio_stats:
        int num_channels, sent_sample_rate, sent_bitrate, internal_codec
        double voice_pitch
    ctypedef struct remote_audio_track_stats:
        uid_t uid
        int quality, network_transport_delay, jitter_buffer_delay, audio_loss_rate, num_channels
        int received_sample_rate, received_bitrate, total_frozen_time, frozen_rate
        int64_t received_bytes
    ctypedef struct local_video_track_stats:
        uint64_t number_of_streams, bytes_major_stream, bytes_minor_stream
        uint32_t frames_encoded, ssrc_major_stream, ssrc_minor_stream
        int capture_frame_rate, regulated_capture_frame_rate, input_frame_rate, encode_frame_rate, render_frame_rate
        int target_media_bitrate_bps, media_bitrate_bps, total_bitrate_bps, capture_width, capture_height
        int regulated_capture_width, regulated_capture_height, width, height
        uint32_t encoder_type, uplink_cost_time_ms
        int quality_adapt_indication
    ctypedef struct remote_video_track_stats:
        uid_t uid
        int delay, width, height, received_bitrate, decoder_output_frame_rate, renderer_output_frame_rate
        int frame_loss_rate, packet_loss_rate, rx_stream_type, total_frozen_time, frozen_rate
        uint32_t total_decoded_frames
        int av_sync_time_ms
        uint32_t downlink_process_time_ms, frame_render_delay_ms
        uint64_t total_active_time, publish_duration
    ctypedef struct encoded_audio_frame_info:
        int speech, codec, sample_rate_hz, samples_per_channel, send_even_if_empty, number_of_channels
        int64_t capture_time_ms
    ctypedef struct audio_encoder_config:
        int audioProfile
    ctypedef struct encryption_config:
        int encryption_mode
        const char* encryption_key
        uint8_t encryption_kdf_salt[32]
        c_bool datastream_encryption_enabled

cdef extern from "agora_c/agora_local_user.h":
    ctypedef struct local_user_observer:
        void (*on_audio_track_publish_success)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
        void (*on_audio_track_unpublished)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
        void (*on_audio_volume_indication)(AGORA_HANDLE, const audio_volume_info*, unsigned int, int) noexcept nogil
        void (*on_active_speaker)(AGORA_HANDLE, user_id_t) noexcept nogil
        void (*on_stream_message)(AGORA_HANDLE, user_id_t, int, const char*, size_t) noexcept nogil
        void (*on_user_audio_track_subscribed)(AGORA_HANDLE, user_id_t, AGORA_HANDLE) noexcept nogil
        void (*on_user_audio_track_state_changed)(AGORA_HANDLE, user_id_t, AGORA_HANDLE, int, int, int) noexcept nogil
        void (*on_first_remote_audio_frame)(AGORA_HANDLE, user_id_t, int) noexcept nogil
        void (*on_first_remote_audio_decoded)(AGORA_HANDLE, user_id_t, int) noexcept nogil
        void (*on_video_track_publish_success)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
        void (*on_video_track_unpublished)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
        void (*on_user_video_track_subscribed)(AGORA_HANDLE, user_id_t, const video_track_info*, AGORA_HANDLE) noexcept nogil
        void (*on_user_video_track_state_changed)(AGORA_HANDLE, user_id_t, AGORA_HANDLE, int, int, int) noexcept nogil
        void (*on_first_remote_video_frame)(AGORA_HANDLE, user_id_t, int, int, int) noexcept nogil
        void (*on_first_remote_video_decoded)(AGORA_HANDLE, user_id_t, int, int, int) noexcept nogil
        void (*on_intra_request_received)(AGORA_HANDLE) noexcept nogil
        void (*on_audio_meta_data_received)(AGORA_HANDLE, user_id_t, const char*, size_t) noexcept nogil
        void (*on_audio_subscribe_state_changed)(AGORA_HANDLE, const char*, user_id_t, int, int, int) noexcept nogil
        void (*on_audio_publish_state_changed)(AGORA_HANDLE, const char*, int, int, int) noexcept nogil
        void (*on_video_subscribe_state_changed)(AGORA_HANDLE, const char*, user_id_t, int, int, int) noexcept nogil
        void (*on_video_publish_state_changed)(AGORA_HANDLE, const char*, int, int, int) noexcept nogil
        void (*on_local_audio_track_statistics)(AGORA_HANDLE, const local_audio_stats*) noexcept nogil
        void (*on_remote_audio_track_statistics)(AGORA_HANDLE, AGORA_HANDLE, const remote_audio_track_stats*) noexcept nogil
        void (*on_local_video_track_statistics)(AGORA_HANDLE, AGORA_HANDLE, const local_video_track_stats*) noexcept nogil
        void (*on_remote_video_track_statistics)(AGORA_HANDLE, AGORA_HANDLE, const remote_video_track_stats*) noexcept nogil
        void (*on_audio_track_publish_start)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
        void (*on_video_track_publish_start)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
        void (*on_local_audio_track_state_changed)(AGORA_HANDLE, AGORA_HANDLE, int, int) noexcept nogil
        void (*on_local_video_track_state_changed)(AGORA_HANDLE, AGORA_HANDLE, int, int) noexcept nogil
        void (*on_user_info_updated)(AGORA_HANDLE, user_id_t, int, int) noexcept nogil
        void (*on_user_state_changed)(AGORA_HANDLE, user_id_t, uint32_t) noexcept nogil
        void (*on_video_size_changed)(AGORA_HANDLE, user_id_t, int, int, int) noexcept nogil
        void (*on_first_remote_video_frame_rendered)(AGORA_HANDLE, user_id_t, int, int, int) noexcept nogil
        void (*on_remote_video_stream_info_updated)(AGORA_HANDLE, const remote_video_stream_info*) noexcept nogil


# The dispatch table: one code path for the loopback engine and Agora's library.
ctypedef struct AgoraApi:
    AGORA_HANDLE (*service_create)() noexcept nogil
    int (*service_initialize)(AGORA_HANDLE, const agora_service_config*) noexcept nogil
    int (*service_release)(AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*service_create_media_node_factory)(AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*service_create_custom_audio_track_pcm)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*service_get_agora_parameter)(AGORA_HANDLE) noexcept nogil
    int (*parameter_set_parameters)(AGORA_HANDLE, const char*) noexcept nogil
    int (*parameter_get_number)(AGORA_HANDLE, const char*, double*) noexcept nogil
    void (*media_node_factory_destroy)(AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*media_node_factory_create_audio_pcm_data_sender)(AGORA_HANDLE) noexcept nogil
    void (*audio_pcm_data_sender_destroy)(AGORA_HANDLE) noexcept nogil
    int (*audio_pcm_data_sender_send)(AGORA_HANDLE, const void*, uint32_t, int64_t, uint32_t, uint32_t, uint32_t, uint32_t) noexcept nogil
    void (*local_audio_track_destroy)(AGORA_HANDLE) noexcept nogil
    int (*local_audio_track_set_enabled)(AGORA_HANDLE, int) noexcept nogil
    int (*local_audio_track_is_enabled)(AGORA_HANDLE, int*) noexcept nogil
    int (*local_audio_track_set_max_bufferd_frame_number)(AGORA_HANDLE, int) noexcept nogil
    int (*local_audio_track_clear_sender_buffer)(AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*rtc_conn_create)(AGORA_HANDLE, const rtc_conn_config*) noexcept nogil
    void (*rtc_conn_destroy)(AGORA_HANDLE) noexcept nogil
    int (*rtc_conn_connect)(AGORA_HANDLE, const char*, const char*, user_id_t) noexcept nogil
    int (*rtc_conn_disconnect)(AGORA_HANDLE) noexcept nogil
    int (*rtc_conn_renew_token)(AGORA_HANDLE, const char*) noexcept nogil
    rtc_conn_info* (*rtc_conn_get_conn_info)(AGORA_HANDLE) noexcept nogil
    void (*rtc_conn_destroy_conn_info)(AGORA_HANDLE, rtc_conn_info*) noexcept nogil
    AGORA_HANDLE (*rtc_conn_get_local_user)(AGORA_HANDLE) noexcept nogil
    int (*rtc_conn_register_observer)(AGORA_HANDLE, rtc_conn_observer*) noexcept nogil
    int (*rtc_conn_unregister_observer)(AGORA_HANDLE) noexcept nogil
    int (*local_user_publish_audio)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_unpublish_audio)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_subscribe_audio)(AGORA_HANDLE, user_id_t) noexcept nogil
    int (*local_user_subscribe_all_audio)(AGORA_HANDLE) noexcept nogil
    int (*local_user_unsubscribe_audio)(AGORA_HANDLE, user_id_t) noexcept nogil
    int (*local_user_unsubscribe_all_audio)(AGORA_HANDLE) noexcept nogil
    int (*local_user_set_playback_audio_frame_parameters)(AGORA_HANDLE, int, int, int, int) noexcept nogil
    int (*local_user_set_recording_audio_frame_parameters)(AGORA_HANDLE, int, int, int, int) noexcept nogil
    int (*local_user_set_mixed_audio_frame_parameters)(AGORA_HANDLE, int, int, int) noexcept nogil
    int (*local_user_set_playback_audio_frame_before_mixing_parameters)(AGORA_HANDLE, int, int) noexcept nogil
    int (*local_user_register_audio_frame_observer)(AGORA_HANDLE, audio_frame_observer*) noexcept nogil
    int (*local_user_unregister_audio_frame_observer)(AGORA_HANDLE) noexcept nogil
    int (*local_user_register_observer)(AGORA_HANDLE, local_user_observer*) noexcept nogil
    int (*local_user_unregister_observer)(AGORA_HANDLE) noexcept nogil
    int (*local_audio_track_adjust_publish_volume)(AGORA_HANDLE, int) noexcept nogil
    int (*local_audio_track_get_publish_volume)(AGORA_HANDLE, int*) noexcept nogil
    int (*local_user_adjust_playback_signal_volume)(AGORA_HANDLE, int) noexcept nogil
    int (*local_user_get_playback_signal_volume)(AGORA_HANDLE, int*) noexcept nogil
    const char* (*rtc_conn_get_sid)(AGORA_HANDLE) noexcept nogil
    int (*local_user_set_audio_scenario)(AGORA_HANDLE, int) noexcept nogil
    int (*local_user_set_audio_volume_indication_parameters)(AGORA_HANDLE, int, int, c_bool) noexcept nogil
    int (*rtc_conn_create_data_stream)(AGORA_HANDLE, int*, int, int) noexcept nogil
    int (*rtc_conn_send_stream_message)(AGORA_HANDLE, int, const char*, uint32_t) noexcept nogil
    int (*remote_audio_track_get_state)(AGORA_HANDLE) noexcept nogil
    # video
    AGORA_HANDLE (*media_node_factory_create_video_frame_sender)(AGORA_HANDLE) noexcept nogil
    void (*video_frame_sender_destroy)(AGORA_HANDLE) noexcept nogil
    int (*video_frame_sender_send)(AGORA_HANDLE, const external_video_frame*) noexcept nogil
    AGORA_HANDLE (*media_node_factory_create_video_encoded_image_sender)(AGORA_HANDLE) noexcept nogil
    void (*video_encoded_image_sender_destroy)(AGORA_HANDLE) noexcept nogil
    int (*video_encoded_image_sender_send)(AGORA_HANDLE, const uint8_t*, uint32_t, const encoded_video_frame_info*) noexcept nogil
    AGORA_HANDLE (*service_create_custom_video_track_frame)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*service_create_custom_video_track_encoded)(AGORA_HANDLE, AGORA_HANDLE, const sender_options*) noexcept nogil
    AGORA_HANDLE (*local_video_track_destroy)(AGORA_HANDLE) noexcept nogil
    int (*local_video_track_set_enabled)(AGORA_HANDLE, int) noexcept nogil
    int (*local_video_track_get_state)(AGORA_HANDLE) noexcept nogil
    int (*local_video_track_set_video_encoder_config)(AGORA_HANDLE, const video_encoder_config*) noexcept nogil
    int (*local_video_track_enable_simulcast_stream)(AGORA_HANDLE, int, const simulcast_stream_config*) noexcept nogil
    int (*remote_video_track_get_state)(AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*video_frame_observer2_create)(video_frame_observer2*) noexcept nogil
    void (*video_frame_observer2_destroy)(AGORA_HANDLE) noexcept nogil
    AGORA_HANDLE (*video_encoded_frame_observer_create)(video_encoded_frame_observer*) noexcept nogil
    void (*video_encoded_frame_observer_destroy)(AGORA_HANDLE) noexcept nogil
    int (*local_user_publish_video)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_unpublish_video)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_subscribe_video)(AGORA_HANDLE, user_id_t, const video_subscription_options*) noexcept nogil
    int (*local_user_subscribe_all_video)(AGORA_HANDLE, const video_subscription_options*) noexcept nogil
    int (*local_user_unsubscribe_video)(AGORA_HANDLE, user_id_t) noexcept nogil
    int (*local_user_unsubscribe_all_video)(AGORA_HANDLE) noexcept nogil
    int (*local_user_register_video_frame_observer)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_unregister_video_frame_observer)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_register_video_encoded_frame_observer)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_unregister_video_encoded_frame_observer)(AGORA_HANDLE, AGORA_HANDLE) noexcept nogil
    int (*local_user_send_intra_request)(AGORA_HANDLE, user_id_t) noexcept nogil
    # encoded audio, audio meta data, encryption
    AGORA_HANDLE (*media_node_factory_create_audio_encoded_frame_sender)(AGORA_HANDLE) noexcept nogil
    void (*audio_encoded_frame_sender_destroy)(AGORA_HANDLE) noexcept nogil
    int (*audio_encoded_frame_sender_send)(AGORA_HANDLE, const uint8_t*, uint32_t, const encoded_audio_frame_info*) noexcept nogil
    AGORA_HANDLE (*service_create_custom_audio_track_encoded)(AGORA_HANDLE, AGORA_HANDLE, int) noexcept nogil
    int (*local_user_send_audio_meta_data)(AGORA_HANDLE, const char*, size_t) noexcept nogil
    int (*rtc_conn_enable_encryption)(AGORA_HANDLE, int, const encryption_config*) noexcept nogil
    AGORA_HANDLE (*rtc_conn_get_agora_parameter)(AGORA_HANDLE) noexcept nogil
    # roles, track state, send delay
    int (*local_audio_track_get_state)(AGORA_HANDLE) noexcept nogil
    void (*local_audio_track_set_send_delay_ms)(AGORA_HANDLE, int) noexcept nogil
    int (*local_user_set_user_role)(AGORA_HANDLE, int) noexcept nogil
    int (*local_user_get_user_role)(AGORA_HANDLE) noexcept nogil
    # statistics
    remote_audio_track_stats* (*remote_audio_track_get_statistics)(AGORA_HANDLE) noexcept nogil
    void (*remote_audio_track_destroy_statistics)(AGORA_HANDLE, remote_audio_track_stats*) noexcept nogil
    remote_video_track_stats* (*remote_video_track_get_statistics)(AGORA_HANDLE) noexcept nogil
    void (*remote_video_track_destroy_statistics)(AGORA_HANDLE, remote_video_track_stats*) noexcept nogil
    local_video_track_stats* (*local_video_track_get_statistics)(AGORA_HANDLE) noexcept nogil
    void (*local_video_track_destroy_statistics)(AGORA_HANDLE, local_video_track_stats*) noexcept nogil
    # audio sinks and the APM filter (the external audio processor)
    AGORA_HANDLE (*audio_sink_create)(audio_sink*) noexcept nogil
    void (*audio_sink_destroy)(AGORA_HANDLE) noexcept nogil
    int (*audio_track_add_audio_sink)(AGORA_HANDLE, AGORA_HANDLE, const audio_sink_wants*) noexcept nogil
    int (*audio_track_enable_audio_filter)(AGORA_HANDLE, const char*, int, int) noexcept nogil
    int (*audio_track_set_filter_property)(AGORA_HANDLE, const char*, const char*, const char*, int) noexcept nogil
    # audio encoder profile, local playback, log file, remote video track info, extra send budget
    int (*local_user_set_audio_encoder_config)(AGORA_HANDLE, const audio_encoder_config*) noexcept nogil
    int (*local_audio_track_enable_local_playback)(AGORA_HANDLE, int) noexcept nogil
    int (*local_audio_track_enable_ear_monitor)(AGORA_HANDLE, int, int) noexcept nogil
    int (*service_set_log_file)(AGORA_HANDLE, const char*, unsigned int) noexcept nogil
    video_track_info* (*remote_video_track_get_track_info)(AGORA_HANDLE) noexcept nogil
    void (*remote_video_track_destroy_track_info)(AGORA_HANDLE, video_track_info*) noexcept nogil
    int (*local_audio_track_set_total_extra_send_ms)(AGORA_HANDLE, uint64_t) noexcept nogil
    local_audio_detailed_stats* (*local_user_get_local_audio_statistics)(AGORA_HANDLE) noexcept nogil
    void (*local_user_destroy_local_audio_statistics)(AGORA_HANDLE, local_audio_detailed_stats*) noexcept nogil
