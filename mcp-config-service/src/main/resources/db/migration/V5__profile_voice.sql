-- A profile's speech settings for voice turns: {stt_engine?, tts_engine?, tts_voice?, language?};
-- an absent key means the speech services' default.
ALTER TABLE profiles ADD COLUMN voice jsonb NOT NULL DEFAULT '{}'::jsonb;
